"""The rules communities apply to posts, plugged into hearth.posts.community."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.urls import reverse

from hearth.accounts.models import User
from hearth.communities.models import Community
from hearth.communities.selectors import (
    community_rules_list,
    readable_private_ids,
    standing_get,
)
from hearth.posts.community import Action, ComposerNorms


class Rules:
    def readable_private_ids(self, viewer: User) -> QuerySet[Model, int]:
        ids: QuerySet[Model, int] = readable_private_ids(viewer)
        return ids

    def refusal(self, *, user: User, community_id: int, action: Action) -> str:
        community = Community.objects.filter(pk=community_id).first()
        if community is None:
            return "That community no longer exists."
        standing = standing_get(viewer=user, community=community)
        name = community.name
        if standing.role == "banned":
            return f"You have been banned from {name}."
        if not standing.is_member:
            return f"Join {name} to take part there."
        if action == "react":
            return ""
        if not standing.can_post:
            return f"The moderators of {name} have paused your posting for now."
        if standing.needs_rules:
            return f"Please read and accept the rules of {name} before posting there."
        return ""

    def composer_norms(self, *, user: User, community_id: int) -> ComposerNorms | None:
        community = Community.objects.filter(pk=community_id).first()
        if community is None:
            return None
        standing = standing_get(viewer=user, community=community)
        if not standing.can_post or not (standing.needs_rules or standing.is_newcomer):
            return None
        return ComposerNorms(
            community_name=community.name,
            rules=tuple(r.title for r in community_rules_list(community=community)),
            needs_rules=standing.needs_rules,
            newcomer=standing.is_newcomer,
            accept_url=reverse("community_rules_accept", kwargs={"slug": community.slug}),
            about_url=reverse("community_about", kwargs={"slug": community.slug}),
        )
