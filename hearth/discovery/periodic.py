"""Running the discovery sweep: every community's stored vectors brought up to date.

`start_periodic_thread()` is meant for every `hearth worker` (and `hearth
demo`), like the other apps' periodic threads: every `every` seconds it
enqueues the sweep, which compares digests and encodes only communities
whose text changed (or that have no vectors for the running model, as after
an upgrade), so any number of workers may run it. Without a worker, a cron
job can run `hearth manage find_people_vectors` instead.
"""

from __future__ import annotations

import threading

from hearth.core import worker as core_worker
from hearth.discovery import tasks

# New threads change what a community is about only slowly, and the post
# events refresh their community straight away; the sweep is the safety net.
TICK_SECONDS = 600.0


def discovery_tick() -> None:
    """Enqueue the sweep once."""
    tasks.community_vectors_sweep.enqueue()


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Enqueue the discovery sweep every `every` seconds, in a daemon thread."""
    return core_worker.start_periodic_thread(
        "hearth-discovery", discovery_tick, every=every, first_wait=5.0
    )
