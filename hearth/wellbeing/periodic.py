"""Wellbeing's periodic work, run by every `hearth worker` (and `hearth demo`).

Usage older than HEARTH_USAGE_RETENTION_DAYS is deleted once an hour. A
plain DELETE by date: several workers running it at once delete nothing twice.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils import timezone

from hearth.core import worker as core_worker
from hearth.wellbeing.services import usage_prune

TICK_SECONDS = 3600.0


def wellbeing_tick() -> int:
    """Rows of old usage deleted."""
    return usage_prune(now=timezone.now(), keep_days=settings.HEARTH_USAGE_RETENTION_DAYS)


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Run wellbeing_tick every `every` seconds in a daemon thread."""
    return core_worker.start_periodic_thread("hearth-wellbeing", wellbeing_tick, every=every)
