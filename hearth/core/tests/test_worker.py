"""The database task queue as production runs it: a crashed worker's task runs again."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hearth.core.worker import make_worker, requeue_stale_tasks


@task()
def remember(key: str) -> None:
    cache.set(key, cache.get(key, 0) + 1)


@pytest.fixture
def db_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_queued_task_runs_once_in_a_worker(db_queue):
    key_ran_once = f"ran-once-{uuid.uuid4()}"
    remember.enqueue(key_ran_once)
    assert cache.get(key_ran_once) is None  # queued, not run inline
    make_worker(interval=0, batch=True).run()
    assert cache.get(key_ran_once) == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_task_left_running_by_a_dead_worker_runs_again(db_queue):
    key_after_crash = f"after-crash-{uuid.uuid4()}"
    remember.enqueue(key_after_crash)
    # A worker claimed it and died mid-task, long ago.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["dead-worker"],
    )
    make_worker(interval=0, batch=True).run()
    assert cache.get(key_after_crash) is None  # still stuck

    assert requeue_stale_tasks(stale_after=600) == 1
    make_worker(interval=0, batch=True).run()
    assert cache.get(key_after_crash) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_still_running_recently_is_left_alone(db_queue):
    key_in_progress = f"in-progress-{uuid.uuid4()}"
    remember.enqueue(key_in_progress)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    assert requeue_stale_tasks(stale_after=600) == 0


def test_periodic_work_goes_on_after_a_failing_run():
    import threading

    from hearth.core.worker import start_periodic_thread

    runs: list[int] = []
    done = threading.Event()

    def job() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("a database hiccup")
        done.set()

    thread = start_periodic_thread("test-periodic", job, every=0.01)
    assert done.wait(5), "the loop stopped after the failing run"
    assert thread.daemon and thread.name == "test-periodic"
    assert len(runs) >= 2
