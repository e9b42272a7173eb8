"""Background work for conversations: tasks take ids and call an idempotent service."""

from __future__ import annotations

from django_tasks import task

from hearth.messaging import services


@task()
def end_for_blocked(blocker_id: int, blocked_id: int) -> None:
    services.conversations_end_for_blocked(blocker_id=blocker_id, blocked_id=blocked_id)
