"""Background work for support. Each task takes ids, reloads and calls an idempotent service."""

from __future__ import annotations

from django_tasks import task

from hearth.support import services


@task()
def route_request(request_id: int) -> None:
    services.support_request_route(request_id=request_id)


@task()
def route_pool() -> None:
    services.support_pool_route()


@task()
def send_checkin(request_id: int) -> None:
    services.checkin_send(request_id=request_id)


@task()
def tick() -> None:
    """The periodic backstop: due check-ins, supporters who stopped, requests waiting."""
    services.checkins_due_send()
    services.supporters_revalidate()
    services.support_pool_route()
