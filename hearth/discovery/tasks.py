"""Background work for "find your people": keeping stored vectors current.

Each task takes ids, reloads and calls an idempotent service, so a retried
or duplicated task only costs a digest comparison.
"""

from __future__ import annotations

from django_tasks import task

from hearth.discovery import services


@task()
def community_vector_refresh(community_id: int) -> None:
    """Re-encode one community if its text changed (a new, edited or removed thread)."""
    services.community_vectors_refresh(community_ids=[community_id])


@task()
def community_vectors_sweep() -> None:
    """Re-encode every community whose text changed, and those never encoded."""
    services.community_vectors_sweep()
