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
