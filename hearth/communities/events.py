"""Events the communities app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class PostRemoved(Event):
    post_id: int
    log_id: int


@dataclass(frozen=True)
class CommunityChanged(Event):
    """A community was created, or its description, settings or rules changed."""

    community_id: int


@dataclass(frozen=True)
class MemberRestricted(Event):
    """A moderator muted or banned someone; `log_id` is the moderation log entry."""

    log_id: int


@dataclass(frozen=True)
class MembershipLeft(Event):
    """Someone left a community (not a withdrawn request to join)."""

    community_id: int
    user_id: int


@dataclass(frozen=True)
class JoinDecided(Event):
    community_id: int
    user_id: int
    approved: bool


@dataclass(frozen=True)
class RoleChanged(Event):
    community_id: int
    user_id: int
    role: str


@dataclass(frozen=True)
class MentorshipStarted(Event):
    request_id: int


@dataclass(frozen=True)
class MentorshipEnded(Event):
    request_id: int
    ended_by_id: int
