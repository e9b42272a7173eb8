"""Many people taking the last places at once: nobody is overbooked.

On PostgreSQL the RSVPs really race, one thread (and connection) each,
released together by a barrier; the gathering's row lock must serialise
them. SQLite allows one writer at a time anyway, so there the same
sequence runs one after another and checks the same outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection, connections

from hearth.accounts.tests.factories import UserFactory
from hearth.gatherings import services
from hearth.gatherings.models import Rsvp
from hearth.gatherings.tests.factories import gathering

pytestmark = pytest.mark.django_db(transaction=True)

CAPACITY = 5  # the host takes one place
PEOPLE = 12


def _run_all(calls):
    """Run the calls at once in threads (PostgreSQL) or in turn (SQLite); re-raise errors."""
    if connection.vendor != "postgresql":
        for call in calls:
            call()
        return
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_concurrent_rsvps_never_overbook_and_promote_in_order():
    host = UserFactory()
    people = [UserFactory() for _ in range(PEOPLE)]
    g = gathering(host, capacity=CAPACITY)

    _run_all(
        [
            lambda person=person: services.rsvp_set(gathering=g, user=person, state="going")
            for person in people
        ]
    )
    going = Rsvp.objects.filter(gathering=g, state="going")
    waiting = Rsvp.objects.filter(gathering=g, state="waitlisted").order_by("position")
    assert going.count() == CAPACITY
    assert waiting.count() == PEOPLE - (CAPACITY - 1)
    assert list(waiting.values_list("position", flat=True)) == list(range(1, PEOPLE - CAPACITY + 2))

    # Everyone going (but the host) leaves at once; the first four waiting move up.
    leavers = list(going.exclude(user=host).values_list("user_id", flat=True))
    first_waiting = list(waiting.values_list("user_id", flat=True)[: len(leavers)])
    by_id = {p.pk: p for p in people}
    _run_all(
        [
            lambda uid=uid: services.rsvp_set(gathering=g, user=by_id[uid], state="cant")
            for uid in leavers
        ]
    )
    now_going = set(
        Rsvp.objects.filter(gathering=g, state="going").values_list("user_id", flat=True)
    )
    assert now_going == {host.pk, *first_waiting}
    assert Rsvp.objects.filter(gathering=g, state="waitlisted").count() == PEOPLE - 2 * (
        CAPACITY - 1
    )


def test_concurrent_capacity_growth_and_rsvps_stay_within_capacity():
    host = UserFactory()
    people = [UserFactory() for _ in range(8)]
    g = gathering(host, capacity=2)
    start = g.starts_at.astimezone(g.zone).replace(tzinfo=None)
    from hearth.gatherings.tests.factories import details

    calls: list[Callable[[], object]] = [
        partial(services.rsvp_set, gathering=g, user=person, state="going") for person in people
    ]
    calls.append(
        lambda: services.gathering_update(
            gathering=g, actor=host, details=details(starts_local=start, capacity=6)
        )
    )
    _run_all(calls)
    assert Rsvp.objects.filter(gathering=g, state="going").count() == 6
    assert Rsvp.objects.filter(gathering=g, state="waitlisted").count() == 3
