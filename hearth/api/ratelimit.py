"""Request limits per token (per address without one), counted in Django's cache.

Fixed windows: a counter per (bucket, caller, window start) that expires
with the window. Redis in production makes the count shared by every web
process (see docs/configuration.md). Limits follow Mastodon's defaults and
are read from settings on each request, so they can be changed per test.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from hearth.api.errors import ApiError

STATE_ATTR = "hearth_rate_limit"


@dataclass(frozen=True)
class RateState:
    limit: int
    remaining: int
    reset: int  # epoch seconds

    def headers(self) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.reset, tz=UTC)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }


def _limit(bucket: str) -> tuple[int, int]:
    if bucket == "apps":
        return settings.HEARTH_API_RATE_APPS, settings.HEARTH_API_RATE_PERIOD
    if bucket == "media":
        return settings.HEARTH_API_RATE_MEDIA, settings.HEARTH_API_RATE_MEDIA_PERIOD
    return settings.HEARTH_API_RATE_REQUESTS, settings.HEARTH_API_RATE_PERIOD


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def rate_hit(request: HttpRequest, *, bucket: str, caller: str) -> None:
    """Count one request of `caller` in `bucket`; raise ApiError(429) past the limit.

    The state is left on the request so every answer carries the
    X-RateLimit-* headers Mastodon clients pace themselves by.
    """
    if not settings.HEARTH_API_RATE_LIMITS:
        return
    limit, period = _limit(bucket)
    now = int(time.time())
    start = now - now % period
    key = f"{settings.HEARTH_API_RATE_NAMESPACE}:api:{bucket}:{caller}:{start}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window expired between add and incr.
        cache.set(key, 1, timeout=period + 5)
        count = 1
    state = RateState(limit=limit, remaining=limit - count, reset=start + period)
    setattr(request, STATE_ATTR, state)
    if count > limit:
        raise ApiError(429, "Too many requests", headers=state.headers())


def add_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    state = getattr(request, STATE_ATTR, None)
    if isinstance(state, RateState):
        for name, value in state.headers().items():
            response[name] = value
    return response
