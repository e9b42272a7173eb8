"""Running the milestone anniversaries' periodic work (see hearth.gatherings.periodic).

`start_periodic_thread()` runs in every `hearth worker` (and `hearth demo`):
every `every` seconds it enqueues the task, which claims each reminder with a
conditional UPDATE, so any number of workers may run it.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from hearth.posts import tasks

logger = logging.getLogger(__name__)

# Anniversaries are days: an hour late is still on the day.
TICK_SECONDS = 3600.0


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Enqueue the anniversary task every `every` seconds, in a daemon thread."""

    def loop() -> None:
        while True:
            try:
                tasks.milestone_anniversaries_send.enqueue()
            except Exception:  # a database hiccup must not end the loop
                logger.exception("Could not enqueue the milestone anniversaries task")
            finally:
                close_old_connections()
            time.sleep(every)

    thread = threading.Thread(target=loop, name="hearth-milestones", daemon=True)
    thread.start()
    return thread
