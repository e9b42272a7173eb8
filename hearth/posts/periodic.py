"""Running the milestone anniversaries' periodic work (see hearth.gatherings.periodic).

`start_periodic_thread()` runs in every `hearth worker` (and `hearth demo`):
every `every` seconds it enqueues the task, which claims each reminder with a
conditional UPDATE, so any number of workers may run it.
"""

from __future__ import annotations

import threading

from hearth.core import worker as core_worker
from hearth.posts import tasks

# Anniversaries are days: an hour late is still on the day.
TICK_SECONDS = 3600.0


def milestones_tick() -> None:
    """Enqueue the anniversary task once."""
    tasks.milestone_anniversaries_send.enqueue()


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Enqueue the anniversary task every `every` seconds, in a daemon thread."""
    return core_worker.start_periodic_thread("hearth-milestones", milestones_tick, every=every)
