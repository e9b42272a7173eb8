"""Domain events in: a block ends attendance between the two people, a
community ban ends the banned person's place at its gatherings to come
(services.rsvps_end_for_block, rsvps_end_for_ban)."""

from __future__ import annotations

from hearth.accounts.events import BlockCreated
from hearth.communities.events import MemberRestricted
from hearth.core.events import subscriber
from hearth.gatherings import tasks


@subscriber(BlockCreated)
def on_block(event: BlockCreated) -> None:
    tasks.end_for_block.enqueue(event.blocker_id, event.blocked_id)


@subscriber(MemberRestricted)
def on_restricted(event: MemberRestricted) -> None:
    tasks.end_for_ban.enqueue(event.log_id)
