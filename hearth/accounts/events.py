"""Events the accounts app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class FollowRequested(Event):
    follow_id: int


@dataclass(frozen=True)
class FollowStarted(Event):
    """A follow became active: created on an open account, or a request accepted."""

    follow_id: int
    requested: bool = False


@dataclass(frozen=True)
class FollowEnded(Event):
    follower_id: int
    followee_id: int


@dataclass(frozen=True)
class BlockCreated(Event):
    blocker_id: int
    blocked_id: int


@dataclass(frozen=True)
class CircleMemberRemoved(Event):
    owner_id: int
    member_id: int
