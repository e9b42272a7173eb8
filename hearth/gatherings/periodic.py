"""Running the gatherings' periodic work: reminders and suggestions to moderators.

`start_periodic_thread()` is meant for every `hearth worker` (and `hearth
demo`), beside core.worker's requeue thread: every `every` seconds it
enqueues the two tasks, which claim their work with conditional UPDATEs, so
any number of workers may run it. Without a worker, a cron job can run
`hearth manage gatherings_tick` instead.
"""

from __future__ import annotations

import threading

from hearth.core import worker as core_worker
from hearth.gatherings import tasks

# Reminders are "a day" and "an hour" before: five minutes late is still on time.
TICK_SECONDS = 300.0


def gatherings_tick() -> None:
    """Enqueue the periodic tasks once."""
    tasks.reminders_send.enqueue()
    tasks.suggestions_send.enqueue()


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Enqueue the gatherings' periodic tasks every `every` seconds, in a daemon thread."""
    return core_worker.start_periodic_thread("hearth-gatherings", gatherings_tick, every=every)
