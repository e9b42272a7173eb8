"""Domain events in: a block ends attendance between the two people (see
services.rsvps_end_for_block)."""

from __future__ import annotations

from hearth.accounts.events import BlockCreated
from hearth.core.events import subscriber
from hearth.gatherings import tasks


@subscriber(BlockCreated)
def on_block(event: BlockCreated) -> None:
    tasks.end_for_block.enqueue(event.blocker_id, event.blocked_id)
