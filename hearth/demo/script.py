"""The shape of the demo's posts: who writes what, when, to whom, and who responds."""

from __future__ import annotations

from dataclasses import dataclass

from hearth.posts.models import Audience

PUBLIC = Audience.PUBLIC.value
FOLLOWERS = Audience.FOLLOWERS.value
CIRCLE = Audience.CIRCLE.value
MENTIONED = Audience.MENTIONED.value
UNLISTED = Audience.UNLISTED.value


@dataclass(frozen=True)
class Photo:
    """A drawn picture (see images.SCENES); an empty `alt` leaves it undescribed."""

    scene: str
    seed: int
    alt: str = ""


@dataclass(frozen=True)
class Entry:
    """One post or reply in the demo.

    `hours_ago` places it in time (a reply must come after its parent);
    `reply_to` names the parent's key; `reactions` reads "username:kind ...";
    `community` is the slug of the community a new post is addressed to (a
    reply belongs to its thread's community).
    """

    key: str
    author: str
    hours_ago: float
    text: str
    reply_to: str = ""
    audience: str = PUBLIC
    tone: str = ""
    warning: str = ""
    photos: tuple[Photo, ...] = ()
    reactions: str = ""
    community: str = ""

    def reaction_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for item in self.reactions.split():
            username, _, kind = item.partition(":")
            pairs.append((username, kind))
        return pairs
