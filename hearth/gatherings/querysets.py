from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from hearth.accounts.selectors import Viewer, as_user
from hearth.communities.models import Community
from hearth.communities.selectors import readable_private_ids

if TYPE_CHECKING:
    from hearth.gatherings.models import Gathering  # noqa: F401


class GatheringQuerySet(models.QuerySet["Gathering"]):
    def visible_to(self, viewer: Viewer) -> GatheringQuerySet:
        """Gatherings the viewer may see: personal and public-community ones for anyone,
        a private community's only for its (unbanned) members.

        Must agree with communities.selectors.Standing.can_read, which the
        single-gathering access check uses.
        """
        open_to_all = Q(community__isnull=True) | Q(
            community__visibility=Community.Visibility.PUBLIC
        )
        user = as_user(viewer)
        if user is None:
            return self.filter(open_to_all)
        return self.filter(open_to_all | Q(community_id__in=readable_private_ids(user)))
