"""Support's periodic work, started beside the gatherings' in `hearth worker` and `hearth demo`.

Every tick sends due check-ins, releases requests held by people who stopped
supporting and routes waiting requests again (the same as `hearth manage
support_tick`). Each step claims its rows under locks, so several workers
may run it.
"""

from __future__ import annotations

import threading

from hearth.core import worker as core_worker
from hearth.support import services

TICK_SECONDS = 300.0


def support_tick() -> tuple[int, int, int]:
    """Check-ins sent, requests released, requests routed."""
    return (
        services.checkins_due_send(),
        services.supporters_revalidate(),
        services.support_pool_route(),
    )


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Run support_tick every `every` seconds in a daemon thread."""
    return core_worker.start_periodic_thread("hearth-support-periodic", support_tick, every=every)
