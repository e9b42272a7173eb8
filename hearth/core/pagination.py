"""Keyset pagination over time-sortable ids (see core.ids).

Pages are addressed by `max_id` (exclusive upper bound), never by offset, so a
page costs the same at the start and deep into a list, and rows that arrive
while someone reads do not shift what they see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

T = TypeVar("T", bound=Model)
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_max_id: int | None

    @property
    def has_next(self) -> bool:
        return self.next_max_id is not None


def id_param(request: HttpRequest, name: str) -> int | None:
    """Read an id from the form body or the query string; junk reads as absent."""
    raw = request.POST.get(name) or request.GET.get(name, "")
    if raw.isdigit() and len(raw) <= 20:
        return int(raw)
    return None


def paginate(
    queryset: QuerySet[T],
    *,
    max_id: int | None,
    key: str = "id",
    limit: int = DEFAULT_PAGE_SIZE,
) -> Page[T]:
    """Return up to `limit` rows with `key` (an attribute name) below `max_id`, newest first."""
    if max_id is not None:
        queryset = queryset.filter(**{f"{key}__lt": max_id})
    rows = list(queryset.order_by(f"-{key}")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, getattr(rows[-1], key))
    return Page(rows, None)


R = TypeVar("R")


def merge_newest(
    *streams: Sequence[tuple[int, R]], limit: int, oldest: bool = False
) -> list[tuple[int, R]]:
    """Rows of several lists keyed by time-sortable ids, each read newest first, as one list.

    Newest first: the `limit` newest rows, or with `oldest` the `limit`
    oldest (a page read upwards from a `min_id`). Each stream must hold at
    least the `limit` rows of its own that could make the cut.
    """
    rows = sorted((row for stream in streams for row in stream), key=lambda r: r[0], reverse=True)
    return rows[-limit:] if oldest and limit else rows[:limit]
