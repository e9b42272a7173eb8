"""Running background tasks: the django-tasks-db worker, plus recovery.

django-tasks-db marks a claimed task RUNNING. If the worker process dies
mid-task (killed, machine lost), that row would stay RUNNING forever. Every
Hearth task is idempotent, so a task that has been RUNNING longer than
`stale_after` seconds is put back to READY and runs again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def requeue_stale_tasks(*, stale_after: float | None = None) -> int:
    """Put tasks RUNNING for longer than `stale_after` seconds back in the queue.

    Returns how many were requeued. Safe to call from many workers at once.
    The default is HEARTH_TASK_STALE_SECONDS.
    """
    if stale_after is None:
        stale_after = settings.TASK_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=stale_after)
    with transaction.atomic():
        count: int = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY)
    if count:
        logger.warning("Requeued %d task(s) left running by a worker that stopped", count)
    return count


def make_worker(*, interval: float = 0.2, batch: bool = False) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


def start_periodic_thread(
    name: str, job: Callable[[], object], *, every: float, first_wait: float = 0.0
) -> threading.Thread:
    """Run `job` every `every` seconds in a daemon thread named `name`.

    A failing run is logged and the loop goes on (a database hiccup must not
    end it); each run ends by closing stale database connections. Jobs must
    be safe to run in several processes at once: every worker runs them.
    """

    def loop() -> None:
        time.sleep(first_wait)
        while True:
            try:
                job()
            except Exception:
                logger.exception("Periodic work %s failed; trying again next time", name)
            finally:
                close_old_connections()
            time.sleep(every)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread


def start_requeue_thread(*, every: float = 60.0) -> threading.Thread:
    """Look for tasks left by dead workers every `every` seconds, in a daemon thread.

    A worker restarted at once (systemd) would otherwise never notice the
    task its previous life was running when it died.
    """
    return start_periodic_thread(
        "hearth-requeue", requeue_stale_tasks, every=every, first_wait=every
    )


def start_worker_thread(*, interval: float = 0.2) -> tuple[Worker, threading.Thread]:
    """Run a worker in a daemon thread of this process (the embedded mode)."""
    requeue_stale_tasks()
    start_requeue_thread()
    worker = make_worker(interval=interval)
    thread = threading.Thread(target=worker.run, name="hearth-worker", daemon=True)
    thread.start()
    return worker, thread
