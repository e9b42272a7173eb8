"""Support's own events in, support's tasks out (notifications are hearth.feeds' business)."""

from __future__ import annotations

from django_tasks.exceptions import InvalidTaskError

from hearth.core.events import subscriber
from hearth.support import tasks
from hearth.support.events import (
    CheckInScheduled,
    SupporterAvailable,
    SupportRequested,
    SupportUnrouted,
)
from hearth.support.models import SupportRequest


def _schedule_checkin(request_id: int) -> None:
    """Enqueue the check-in to run when due, where the task backend can wait.

    A backend that cannot (the inline one of tests) gets nothing here: the
    periodic tick (`hearth manage support_tick`) and the /support page pick
    up due check-ins either way.
    """
    request = SupportRequest.objects.filter(pk=request_id, checkin_at__isnull=False).first()
    if request is None or request.checkin_at is None:
        return
    if not tasks.send_checkin.get_backend().supports_defer:
        return
    try:
        tasks.send_checkin.using(run_after=request.checkin_at).enqueue(request_id)
    except InvalidTaskError:
        return


@subscriber(SupportRequested)
def on_requested(event: SupportRequested) -> None:
    tasks.route_request.enqueue(event.request_id)
    _schedule_checkin(event.request_id)


@subscriber(CheckInScheduled)
def on_checkin_scheduled(event: CheckInScheduled) -> None:
    _schedule_checkin(event.request_id)


@subscriber(SupportUnrouted)
def on_unrouted(event: SupportUnrouted) -> None:
    tasks.route_request.enqueue(event.request_id)


@subscriber(SupporterAvailable)
def on_available(event: SupporterAvailable) -> None:
    tasks.route_pool.enqueue()
