"""Messaging's periodic work, run by every `hearth worker` (and `hearth demo`).

Photos staged for a message that waits on a reconsider page are deleted
once they are a day old: whoever walked away from that page is not coming
back to it. A conditional DELETE per photo: several workers running it at
once delete nothing twice.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from hearth.core import worker as core_worker
from hearth.messaging.services import photos_prune_staged

TICK_SECONDS = 3600.0
STAGED_PHOTOS_KEPT = timedelta(days=1)


def messaging_tick() -> int:
    """Staged photos deleted."""
    return photos_prune_staged(older_than=STAGED_PHOTOS_KEPT)


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Run messaging_tick every `every` seconds in a daemon thread."""
    return core_worker.start_periodic_thread("hearth-messaging", messaging_tick, every=every)
