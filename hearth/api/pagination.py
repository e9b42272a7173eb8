"""Paging as Mastodon clients do it, in one place: max_id, since_id, min_id, limit,
and a Link header with rel="next" (older) first and rel="prev" (newer).

https://docs.joinmastodon.org/api/guidelines/#pagination
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from hearth.api.parsing import optional_id
from hearth.feeds.selectors import Window

DEFAULT_LIMIT = 20
MAX_LIMIT = 40
WINDOW_PARAMS = ("max_id", "since_id", "min_id")


def window_from(
    request: HttpRequest, *, default: int = DEFAULT_LIMIT, most: int = MAX_LIMIT
) -> Window:
    raw_limit = request.GET.get("limit", "")
    limit = int(raw_limit) if raw_limit.isdigit() and len(raw_limit) < 6 else default
    return Window(
        max_id=optional_id(request.GET.get("max_id")),
        since_id=optional_id(request.GET.get("since_id")),
        min_id=optional_id(request.GET.get("min_id")),
        limit=max(1, min(limit, most)),
    )


def apply_window(queryset: QuerySet[Any], window: Window, *, key: str = "id") -> list[Any]:
    """The rows of `queryset` inside `window`, newest (highest key) first."""
    if window.max_id is not None:
        queryset = queryset.filter(**{f"{key}__lt": window.max_id})
    if window.since_id is not None:
        queryset = queryset.filter(**{f"{key}__gt": window.since_id})
    if window.min_id is not None:
        rows = list(queryset.filter(**{f"{key}__gt": window.min_id}).order_by(key)[: window.limit])
        rows.reverse()
        return rows
    return list(queryset.order_by(f"-{key}")[: window.limit])


def set_link(
    request: HttpRequest, response: HttpResponse, *, newest: int | None, oldest: int | None
) -> None:
    """Add the Link header for a page whose keys ran from `newest` down to `oldest`."""
    if newest is None or oldest is None:
        return
    base = request.build_absolute_uri(request.path)
    kept = [(k, v) for k, vs in request.GET.lists() for v in vs if k not in WINDOW_PARAMS]
    next_url = f"{base}?{urlencode([*kept, ('max_id', str(oldest))])}"
    prev_url = f"{base}?{urlencode([*kept, ('min_id', str(newest))])}"
    response["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'


def bounds(rows: list[Any], *, key: str = "pk") -> tuple[int | None, int | None]:
    if not rows:
        return None, None
    return int(getattr(rows[0], key)), int(getattr(rows[-1], key))
