"""Events the posts app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class PostPublished(Event):
    post_id: int


@dataclass(frozen=True)
class PostEdited(Event):
    post_id: int


@dataclass(frozen=True)
class PostDeleted(Event):
    post_id: int
    author_id: int


@dataclass(frozen=True)
class ReactionAdded(Event):
    reaction_id: int


@dataclass(frozen=True)
class MilestoneAnniversaryDue(Event):
    """A reminder of a milestone's anniversary in `year` was claimed and is to be sent."""

    reminder_id: int
    year: int


@dataclass(frozen=True)
class BoostCreated(Event):
    """Someone shared a public post with their followers (posts.models.Boost)."""

    boost_id: int


@dataclass(frozen=True)
class BoostRemoved(Event):
    """A share was taken back; its row is gone, so the ids travel with the event."""

    boost_id: int
    booster_id: int
    post_id: int
