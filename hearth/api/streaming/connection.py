"""A stream connection's database work, off the event loop: token, stream, each event."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connections
from django.http import HttpRequest
from django.http.request import split_domain_port

from hearth.api.streaming.access import (
    Grant,
    Message,
    StreamError,
    Subscription,
    event_message,
    grant_valid,
    message_at_once,
    subscription_for,
    token_grant,
)
from hearth.core import live
from hearth.core.sse import Scope

logger = logging.getLogger(__name__)


T = TypeVar("T")
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    # A few threads for the streams' database work, so their connections
    # persist (CONN_MAX_AGE) instead of opening one per event.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="hearth-stream")
    return _executor


def pool_shutdown() -> None:
    """Close the database threads' connections and stop them (tests, before dropping the DB)."""
    global _executor
    if _executor is None:
        return
    # Each thread holds its own connection: have every one of them close it.
    count = len(_executor._threads)
    barrier = threading.Barrier(count) if count else None

    def close() -> None:
        connections.close_all()
        if barrier is not None:
            barrier.wait(timeout=5)

    for _ in range(count):
        _executor.submit(close)
    _executor.shutdown(wait=True)
    _executor = None


async def _db(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    def run() -> T:
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return await sync_to_async(run, thread_sensitive=False, executor=_pool())()


def _request(scope: Scope) -> HttpRequest:
    """A Django request for the stream, so statuses render with absolute URLs as the API's do.

    A WebSocket's scope becomes a GET with its http(s) scheme, since links
    in statuses point at pages. Reached directly on the ASGI listener's own
    port (`hearth serve` without a reverse proxy), links point at the
    pages' port instead.
    """
    if scope["type"] == "websocket":
        scheme = "https" if scope.get("scheme") == "wss" else "http"
        scope = {**scope, "type": "http", "method": "GET", "scheme": scheme}
    request = ASGIRequest(scope, io.BytesIO())
    if not settings.HEARTH_LIVE_EMBEDDED:
        domain, port = split_domain_port(request.META.get("HTTP_HOST", ""))
        if domain and port == str(settings.HEARTH_LIVE_PORT):
            request.META["HTTP_HOST"] = (
                f"{request.META['HTTP_HOST'][: -len(port)]}{settings.HEARTH_PORT}"
            )
    return request


def query_params(scope: Scope) -> dict[str, str]:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return {key: values[-1] for key, values in query.items()}


def connection_request(scope: Scope) -> HttpRequest:
    """The Django request of a connection; StreamError 400 for a host not in ALLOWED_HOSTS."""
    request = _request(scope)
    try:
        request.get_host()
    except DisallowedHost:
        raise StreamError(400, "Bad host") from None
    return request


def connection_token(scope: Scope, params: dict[str, str]) -> str:
    """The bearer token: `Authorization: Bearer`, `?access_token=`, or for a WebSocket
    the `Sec-WebSocket-Protocol` header, where browsers can put it (as Mastodon reads it).
    """
    for raw_name, raw_value in scope.get("headers", []):
        if raw_name.lower() == b"authorization":
            header: str = raw_value.decode("latin-1")
            scheme, _, value = header.strip().partition(" ")
            if scheme.lower() == "bearer":
                return value.strip()
    token = params.get("access_token", "").strip()
    if not token and scope["type"] == "websocket" and scope.get("subprotocols"):
        token = str(scope["subprotocols"][0]).strip()
    return token


async def grant_open(scope: Scope, params: dict[str, str]) -> tuple[Grant, HttpRequest]:
    """Check a new connection's host and token (both transports); StreamError if refused."""
    request = connection_request(scope)
    grant = await _db(token_grant, connection_token(scope, params))
    return grant, request


async def grant_still_valid(grant: Grant) -> bool:
    """grant_valid off the event loop: asked once per keepalive interval by both transports."""
    return await _db(grant_valid, grant)


async def subscribe_for(grant: Grant, name: str, params: dict[str, str]) -> Subscription:
    """subscription_for off the event loop; StreamError if the stream cannot be opened."""
    return await _db(subscription_for, grant, name=name, params=params)


async def render_message(
    sub: Subscription, request: HttpRequest, event: live.LiveEvent
) -> Message | None:
    """What `sub` gets for a bus event, the database work on the streams' threads."""
    decided, message = message_at_once(sub, event)
    if decided:
        return message
    try:
        return await _db(event_message, sub, request, event)
    except Exception:  # one event lost, not the stream: the timeline has it
        logger.warning("Could not render %s for a stream", event.event, exc_info=True)
        return None
