"""Periodic work for posts: milestone anniversaries. Idempotent: each reminder is claimed once a
year, so running it twice or on several workers at once sends each one once."""

from __future__ import annotations

from django_tasks import task

from hearth.posts import milestones


@task()
def milestone_anniversaries_send() -> int:
    return milestones.milestone_anniversaries_send()
