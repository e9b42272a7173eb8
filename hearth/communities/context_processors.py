from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from hearth.communities.models import Membership


def moderation(request: HttpRequest) -> dict[str, Any]:
    """Communities the viewer moderates, and belongs to; each read only if a page asks."""

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

    def load_member() -> set[int]:
        if not request.user.is_authenticated:
            return set()
        return set(
            Membership.objects.filter(user_id=request.user.pk, state=Membership.State.ACTIVE)
            .exclude(banned_until__gt=timezone.now())
            .values_list("community_id", flat=True)
        )

    return {
        "moderated_community_ids": SimpleLazyObject(load),
        # Where the viewer may react and report (muted members included): posts/_post.html
        # shows those buttons on a community's posts only there.
        "member_community_ids": SimpleLazyObject(load_member),
    }
