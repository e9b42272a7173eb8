"""Server-Sent Events transport of the streaming API (`GET /api/v1/streaming/...`)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port

from hearth.api.errors import NOT_FOUND
from hearth.api.streaming.access import CORS, STREAMING_PATH, Message, StreamError, stream_name
from hearth.api.streaming.connection import (
    grant_open,
    grant_still_valid,
    query_params,
    render_message,
    subscribe_for,
)
from hearth.core import live
from hearth.core.sse import Receive, Scope, Send, stream


async def _answer(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), *CORS],
        }
    )
    await send({"type": "http.response.body", "body": body})


def error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


async def _error(send: Send, status: int, message: str) -> None:
    await _answer(send, status, error_body(message), b"application/json; charset=utf-8")


def sse_frame(message: Message) -> bytes:
    event, payload = message
    # Mastodon's streaming server writes an absent payload as JavaScript prints it.
    data = "undefined" if payload is None else payload
    return f"event: {event}\ndata: {data}\n\n".encode()


async def streaming_app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI application for STREAMING_PATH and below over HTTP (hearth.api.streaming.ws
    routes WebSocket connections and these, see hearth.config.asgi)."""
    if scope["type"] != "http":
        return
    if scope["method"] not in ("GET", "HEAD"):
        await _error(send, 405, "Method not allowed")
        return
    path = scope["path"].rstrip("/")
    if path == f"{STREAMING_PATH}/health":
        await _answer(send, 200, b"OK", b"text/plain; charset=utf-8")
        return
    params = query_params(scope)
    name = stream_name(path, params)
    if name is None:
        await _error(send, 404, NOT_FOUND)
        return
    try:
        grant, request = await grant_open(scope, params)
        sub = await subscribe_for(grant, name, params)
    except StreamError as exc:
        await _error(send, exc.status, exc.message)
        return

    async def render(event: live.LiveEvent) -> bytes | None:
        message = await render_message(sub, request, event)
        return None if message is None else sse_frame(message)

    await stream(
        send,
        receive,
        list(sub.channels),
        render=render,
        still_allowed=lambda: grant_still_valid(grant),
        retry=False,
        headers=CORS,
    )


def streaming_url(request: HttpRequest) -> str:
    """The streaming base URL the instance endpoint advertises (`urls.streaming_api`).

    HEARTH_STREAMING_URL when set. Otherwise the same origin (`hearth demo`,
    or a reverse proxy routing /api/v1/streaming to the ASGI listener),
    except for a request made straight to `hearth serve`'s WSGI port: its
    ASGI listener is on HEARTH_LIVE_PORT. Mastodon clients keep only the
    scheme and host of it and turn ws(s) into http(s) for SSE.
    """
    configured = str(settings.HEARTH_STREAMING_URL)
    if configured:
        return configured.rstrip("/")
    scheme = "wss" if request.is_secure() else "ws"
    host: str = request.get_host()
    if not settings.HEARTH_LIVE_EMBEDDED:
        domain, port = split_domain_port(host)
        if domain and port == str(settings.HEARTH_PORT):
            host = f"{host[: -len(port)]}{settings.HEARTH_LIVE_PORT}"
    return f"{scheme}://{host}"
