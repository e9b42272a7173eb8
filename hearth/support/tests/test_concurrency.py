"""Limits that must hold when many people act at once: PostgreSQL only, with real threads.

Each thread has its own database connection and transaction, as separate
web processes would. Run with HEARTH_DATABASE_URL pointing at PostgreSQL;
on SQLite (one writer at a time) these are skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection, connections

from hearth.accounts.tests.factories import UserFactory
from hearth.feeds.models import Notification
from hearth.posts.services import post_create
from hearth.support import services
from hearth.support.models import Route, Supporter, WorriedRequest

pytestmark = [
    # No serialized_rollback: after another transactional test's flush,
    # post_migrate has already recreated content types, and restoring the
    # serialized copy over them fails with duplicate keys.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (HEARTH_DATABASE_URL)"
    ),
]


def run_together(jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Start every job at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # collected and re-checked by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_worried_messages_one_a_week_under_concurrent_senders() -> None:
    author = UserFactory()
    post = post_create(author=author, text="I don't know how much longer I can do this.")
    senders = [UserFactory() for _ in range(12)]
    errors = run_together([partial(services.worried_send, sender=s, post=post) for s in senders])
    assert errors == []
    assert WorriedRequest.objects.filter(author=author).count() == len(senders)
    assert WorriedRequest.objects.filter(author=author, delivered=True).count() == 1
    assert Notification.objects.filter(recipient=author, kind="worried").count() == 1


def test_routing_never_passes_capacity_under_concurrent_requests() -> None:
    helper = UserFactory()
    Supporter.objects.create(user=helper, topics=",anything,", weekly_capacity=2)
    askers = [UserFactory() for _ in range(8)]
    # Published without routing (no commit hook runs here), then routed all at once.
    requests = [
        services.support_request_create(
            asker=a, text="Hard day.", kind="listening", topic="other", audience="supporters"
        )
        for a in askers
    ]
    Route.objects.all().delete()
    errors = run_together(
        [partial(services.support_request_route, request_id=r.pk) for r in requests]
    )
    assert errors == []
    assert Route.objects.filter(supporter=helper, state=Route.State.ROUTED).count() == 2
