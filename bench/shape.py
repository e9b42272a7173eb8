"""The shape of the generated data set (DESIGN.md, "Performance targets")."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

# DESIGN.md's data set at scale 1.
FULL_PEOPLE = 10_000
FULL_ACTIVE = 2_000
FULL_POSTS = 200_000
FULL_FOLLOWS = 1_000_000
FULL_TOP_FOLLOWERS = 10_000


@dataclass(frozen=True)
class Shape:
    """How many of everything to generate.

    Following is skewed: the account of popularity rank r has about
    top_followers / (r + 1) ** a followers, with `a` solved so the counts add
    up to `follows`. Posts are written by the active people only.
    """

    people: int
    active: int
    posts: int
    follows: int
    top_followers: int
    reply_share: float = 0.2
    followers_only_share: float = 0.15
    content_warning_share: float = 0.03
    reactions_per_post: float = 0.5
    muting_share: float = 0.02
    days: int = 60

    @classmethod
    def at_scale(cls, scale: float, *, posts: int | None = None) -> Shape:
        """DESIGN.md's shape times `scale`; `posts` overrides the post count only."""
        people = max(50, round(FULL_PEOPLE * scale))
        return cls(
            people=people,
            active=max(10, round(FULL_ACTIVE * scale)),
            posts=posts if posts is not None else max(100, round(FULL_POSTS * scale)),
            follows=min(people * (people - 1), round(FULL_FOLLOWS * scale)),
            top_followers=min(people - 1, round(FULL_TOP_FOLLOWERS * scale)),
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str) -> Shape:
        return cls(**json.loads(raw))
