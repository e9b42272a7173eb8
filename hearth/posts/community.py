"""The extension point through which communities govern the posts addressed to them.

Communities sit above posts (they moderate posts, posts do not know about
roles), yet every path that reads or writes a post must obey a community's
rules: who may read a private community, who may post, reply or react, a
ban, a mute, a locked thread. The communities app registers one
`CommunityRules` at start-up (AppConfig.ready); posts ask it. The registry
is filled once at import time and never changes afterwards, so it is the
same in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from hearth.accounts.models import User

Action = Literal["post", "reply", "react"]


@dataclass(frozen=True)
class ComposerNorms:
    """What a community asks of a member about to write there, for any composer.

    `needs_rules`: they must acknowledge `rules` (at `accept_url`, a POST
    taking `accept_rules` and `next`) before posting or replying. `newcomer`:
    they joined this week, so a short reminder of the norms stands above the
    composer (the r/science experiment; docs/communities.md).
    """

    community_name: str
    rules: tuple[str, ...]
    needs_rules: bool
    newcomer: bool
    accept_url: str
    about_url: str


class CommunityRules(Protocol):
    def readable_private_ids(self, viewer: User) -> QuerySet[Model, int]:
        """Ids of the private communities `viewer` may read (a flat values_list queryset)."""

    def refusal(self, *, user: User, community_id: int, action: Action) -> str:
        """Why `user` may not do `action` in the community now, in words for them; "" if allowed."""

    def composer_norms(self, *, user: User, community_id: int) -> ComposerNorms | None:
        """The norms to show a member above a composer there; None for anyone else."""


_rules: list[CommunityRules] = []


def community_rules_register(rules: CommunityRules) -> None:
    """Install the rules communities apply (called once from AppConfig.ready)."""
    _rules[:] = [rules]


def community_rules() -> CommunityRules | None:
    """The registered rules, or None when no communities app is installed."""
    return _rules[0] if _rules else None


def community_refusal(*, user: User, community_id: int | None, action: Action) -> str:
    """Why `user` may not do `action` in that community ("" outside communities or if allowed)."""
    if community_id is None:
        return ""
    rules = community_rules()
    if rules is None:
        return "Communities are not available on this server."
    return rules.refusal(user=user, community_id=community_id, action=action)


def community_composer_norms(*, user: User, community_id: int | None) -> ComposerNorms | None:
    """The community's norms for `user`'s composer (None outside communities or for non-members)."""
    if community_id is None:
        return None
    rules = community_rules()
    if rules is None:
        return None
    return rules.composer_norms(user=user, community_id=community_id)
