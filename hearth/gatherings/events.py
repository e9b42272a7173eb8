"""Events the gatherings app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class RsvpPromoted(Event):
    """Someone moved from the waitlist to going."""

    gathering_id: int
    user_id: int


@dataclass(frozen=True)
class GatheringCancelled(Event):
    gathering_id: int
    cancelled_by_id: int


@dataclass(frozen=True)
class GatheringReminderDue(Event):
    """`kind` is "day" or "hour"; `starts_at` (epoch seconds) tells reminders of a moved
    gathering apart."""

    gathering_id: int
    kind: str
    starts_at: int


@dataclass(frozen=True)
class GatheringSuggested(Event):
    community_id: int
