"""Support's grant over posts, plugged into hearth.posts.readers at start-up.

A supporter a request is routed to (and who still holds it) may read the
request, whatever its audience; under a supporters-only request, the
replies (supporters-only too) are readable by the asker and the supporters
who hold it. Everything else about a post still applies: blocks, a private
community's walls, a moderator's removal.
"""

from __future__ import annotations

from django.db.models import Q

from hearth.accounts.models import User
from hearth.posts.models import Audience
from hearth.support.models import Route, SupportRequest


class SupportReaders:
    def readable(self, viewer: User) -> Q:
        held = Route.objects.filter(supporter=viewer, state=Route.State.ROUTED).values("request_id")
        asked = SupportRequest.objects.filter(asker=viewer).values("pk")
        return Q(pk__in=held) | Q(
            Q(thread_root_id__in=held) | Q(thread_root_id__in=asked),
            audience=Audience.SUPPORTERS,
        )
