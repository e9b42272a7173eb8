"""Events the messaging app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class MessageSent(Event):
    message_id: int
