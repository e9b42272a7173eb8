"""Wellbeing's periodic work, run by every `hearth worker` (and `hearth demo`).

Usage older than HEARTH_USAGE_RETENTION_DAYS is deleted once an hour. A
plain DELETE by date: several workers running it at once delete nothing twice.

Once a minute, the people whose quiet hours ended or whose summary time
came are told (`releases_tick`): open pages get a fresh notification count
(docs/wellbeing.md). Each looks back two minutes, so a late tick misses
nothing; the claims in the service keep a release from being announced
twice.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils import timezone

from hearth.core import worker as core_worker
from hearth.wellbeing.services import notifications_release_announce, usage_prune

TICK_SECONDS = 3600.0
RELEASE_TICK_SECONDS = 60.0


def wellbeing_tick() -> int:
    """Rows of old usage deleted."""
    return usage_prune(now=timezone.now(), keep_days=settings.HEARTH_USAGE_RETENTION_DAYS)


def releases_tick(*, every: float = RELEASE_TICK_SECONDS) -> tuple[int, ...]:
    """The people told that their held notifications arrived (a window of two ticks)."""
    return notifications_release_announce(now=timezone.now(), window=2 * every)


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Run wellbeing_tick every `every` seconds, and releases_tick every minute, in daemon threads.

    Returns the first thread.
    """
    core_worker.start_periodic_thread(
        "hearth-wellbeing-releases", releases_tick, every=RELEASE_TICK_SECONDS
    )
    return core_worker.start_periodic_thread("hearth-wellbeing", wellbeing_tick, every=every)
