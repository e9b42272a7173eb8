"""Running the gatherings' periodic work: reminders and suggestions to moderators.

`start_periodic_thread()` is meant for every `hearth worker` (and `hearth
demo`), beside core.worker's requeue thread: every `every` seconds it
enqueues the two tasks, which claim their work with conditional UPDATEs, so
any number of workers may run it. Without a worker, a cron job can run
`hearth manage gatherings_tick` instead.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from hearth.gatherings import tasks

logger = logging.getLogger(__name__)

# Reminders are "a day" and "an hour" before: five minutes late is still on time.
TICK_SECONDS = 300.0


def gatherings_tick() -> None:
    """Enqueue the periodic tasks once."""
    tasks.reminders_send.enqueue()
    tasks.suggestions_send.enqueue()


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Enqueue the gatherings' periodic tasks every `every` seconds, in a daemon thread."""

    def loop() -> None:
        while True:
            try:
                gatherings_tick()
            except Exception:  # a database hiccup must not end the loop
                logger.exception("Could not enqueue the gatherings' periodic tasks")
            finally:
                close_old_connections()
            time.sleep(every)

    thread = threading.Thread(target=loop, name="hearth-gatherings", daemon=True)
    thread.start()
    return thread
