"""Background work for gatherings. Each task is idempotent: the periodic ones, run twice
or on several workers at once, announce each reminder and suggestion once; ending
attendance after a block twice removes nothing more."""

from __future__ import annotations

from django_tasks import task

from hearth.gatherings import services


@task()
def reminders_send() -> int:
    return services.reminders_send()


@task()
def suggestions_send() -> int:
    return len(services.gathering_suggestions())


@task()
def end_for_ban(log_id: int) -> int:
    return services.rsvps_end_for_ban(log_id=log_id)


@task()
def end_for_block(blocker_id: int, blocked_id: int) -> int:
    return services.rsvps_end_for_block(blocker_id=blocker_id, blocked_id=blocked_id)
