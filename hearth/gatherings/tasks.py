"""Periodic work for gatherings. Both tasks are idempotent: running them twice, or on
several workers at once, announces each reminder and suggestion once."""

from __future__ import annotations

from django_tasks import task

from hearth.gatherings import services


@task()
def reminders_send() -> int:
    return services.reminders_send()


@task()
def suggestions_send() -> int:
    return len(services.gathering_suggestions())
