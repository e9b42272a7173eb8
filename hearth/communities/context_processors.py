from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from hearth.communities.models import Membership


def moderation(request: HttpRequest) -> dict[str, Any]:
    """`moderated_community_ids`: communities the viewer moderates, read only if a page asks."""

    def load() -> set[int]:
        if not request.user.is_authenticated:
            return set()
        return set(
            Membership.objects.filter(
                user_id=request.user.pk,
                state=Membership.State.ACTIVE,
                role__in=[Membership.Role.OWNER, Membership.Role.MODERATOR],
            )
            .exclude(banned_until__gt=timezone.now())
            .values_list("community_id", flat=True)
        )

    return {"moderated_community_ids": SimpleLazyObject(load)}
