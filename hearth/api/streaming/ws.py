"""Mastodon's streaming API over WebSocket: `wss://host/api/v1/streaming`.

https://docs.joinmastodon.org/methods/streaming/#websocket

Most Mastodon apps (Elk, Phanpy, Ivory, Mona, the web UI) stream this way:
one socket carries any number of streams. The token is checked when the
socket opens (`Authorization: Bearer`, `?access_token=`, or the
`Sec-WebSocket-Protocol` header, which browsers can set and which is echoed
back as the chosen subprotocol, as Mastodon's server does); a refused token
gets an HTTP 401 with `{"error": …}` instead of the upgrade. `?stream=`
(with `tag=` or `list=`) subscribes at once; the client then sends

    {"type": "subscribe", "stream": "hashtag", "tag": "foo"}
    {"type": "unsubscribe", "stream": "hashtag", "tag": "foo"}

and receives text messages

    {"stream": ["hashtag", "foo"], "event": "update", "payload": "<status JSON>"}

with the payload a JSON document as text (the bare id for `delete`), the
same events as SSE (hearth.api.streaming.access decides what each person
may get). A stream that cannot be opened (unknown, missing `tag`, another
person's list, missing scopes) answers `{"error": …, "status": …}` and the
socket stays open. Messages that are not JSON or of another type are
ignored, as Mastodon ignores them. The token is checked again every
HEARTH_LIVE_KEEPALIVE seconds: a revoked token's socket is closed (1000).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hearth.api.errors import NOT_FOUND
from hearth.api.streaming.access import (
    STREAMING_PATH,
    Grant,
    Message,
    StreamError,
    Subscription,
    stream_spec,
)
from hearth.api.streaming.connection import (
    grant_open,
    grant_still_valid,
    query_params,
    render_message,
    subscribe_for,
)
from hearth.api.streaming.sse import error_body, streaming_app
from hearth.core import live
from hearth.core.sse import Receive, Scope, Send

logger = logging.getLogger(__name__)

# A stream on one socket: its name and the parameters that tell it apart.
StreamKey = tuple[str, ...]


def _stream_params(message: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """(stream name, parameters) of a subscribe or unsubscribe message."""
    stream = message.get("stream")
    if isinstance(stream, list):  # Mastodon takes the first of a list
        stream = stream[0] if stream else None
    params = {
        key: str(value)
        for key, value in message.items()
        if key not in ("type", "stream") and isinstance(value, str | int)
    }
    return (stream if isinstance(stream, str) else ""), params


def _label(name: str, params: dict[str, str]) -> list[str]:
    """The `stream` of each message, as Mastodon names it: clients match on it."""
    if name == "list":
        return [name, params.get("list", "")]
    if name in ("hashtag", "hashtag:local"):
        return [name, params.get("tag", "")]
    return [name]


class Socket:
    """One accepted WebSocket: its streams, each a task reading the bus."""

    def __init__(self, grant: Grant, request: HttpRequest, send: Send) -> None:
        self.grant = grant
        self.request = request
        self._send = send
        self._lock = asyncio.Lock()
        self.streams: dict[StreamKey, asyncio.Task[None]] = {}

    async def send_json(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        async with self._lock:  # the streams' tasks send concurrently
            await self._send({"type": "websocket.send", "text": text})

    def _key(self, name: str, params: dict[str, str]) -> StreamKey:
        """What tells streams apart (Mastodon keys them by channels); StreamError if unknown."""
        _kind, channels, _scopes = stream_spec(name, params, self.grant.user.pk)
        return (name, *channels, params.get("list", "") if name == "list" else "")

    async def subscribe(self, name: str, params: dict[str, str]) -> None:
        """Add a stream, unless it is on already; an error message if it cannot be opened."""
        try:
            key = self._key(name, params)
            if key in self.streams:
                return
            sub = await subscribe_for(self.grant, name, params)
        except StreamError as exc:
            await self.send_json({"error": exc.message, "status": exc.status})
            return
        if key not in self.streams:
            self.streams[key] = asyncio.ensure_future(self._pump(_label(name, params), sub))

    async def unsubscribe(self, name: str, params: dict[str, str]) -> None:
        try:
            key = self._key(name, params)
        except StreamError as exc:
            await self.send_json({"error": exc.message, "status": exc.status})
            return
        task = self.streams.pop(key, None)
        if task is not None:
            await _cancel(task)

    async def _pump(self, label: list[str], sub: Subscription) -> None:
        events = live.subscribe(list(sub.channels))
        try:
            async for event in events:
                message: Message | None = await render_message(sub, self.request, event)
                if message is not None:
                    name, payload = message
                    frame: dict[str, Any] = {"stream": label, "event": name}
                    if payload is not None:
                        frame["payload"] = payload
                    await self.send_json(frame)
        except (OSError, RuntimeError):
            # The client went away mid-send: the socket's own loop ends.
            logger.debug("websocket stream ended", exc_info=True)
        except Exception:
            # The bus failed (Redis gone): close rather than stay open and silent;
            # the client reconnects, as after any drop.
            logger.warning("websocket stream failed", exc_info=True)
            with contextlib.suppress(Exception):
                async with self._lock:
                    await self._send({"type": "websocket.close", "code": 1011})
        finally:
            with contextlib.suppress(Exception):
                await events.aclose()  # type: ignore[attr-defined]

    async def handle(self, raw: str) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        name, params = _stream_params(message)
        if message.get("type") == "subscribe":
            await self.subscribe(name, params)
        elif message.get("type") == "unsubscribe":
            await self.unsubscribe(name, params)

    async def close(self) -> None:
        for task in self.streams.values():
            await _cancel(task)
        self.streams.clear()


async def _cancel(task: asyncio.Future[Any]) -> None:
    if not task.done():
        task.cancel()
    with contextlib.suppress(BaseException):
        await task


async def _deny(scope: Scope, send: Send, status: int, message: str) -> None:
    """Refuse the upgrade with an HTTP answer where the server can (ASGI's denial response).

    Without that extension, closing before accepting makes the server answer 403.
    """
    if "websocket.http.response" in scope.get("extensions", {}):
        headers = [(b"content-type", b"application/json; charset=utf-8")]
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": error_body(message)})
    else:
        await send({"type": "websocket.close", "code": 1008})


async def websocket_app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI application for WebSocket connections to STREAMING_PATH."""
    if (await receive())["type"] != "websocket.connect":
        return
    if scope["path"].rstrip("/") != STREAMING_PATH:
        await _deny(scope, send, 404, NOT_FOUND)
        return
    params = query_params(scope)
    try:
        grant, request = await grant_open(scope, params)
    except StreamError as exc:
        await _deny(scope, send, exc.status, exc.message)
        return
    accept: dict[str, Any] = {"type": "websocket.accept"}
    if scope.get("subprotocols"):
        # Browsers fail a socket whose server picks none of the offered subprotocols.
        accept["subprotocol"] = scope["subprotocols"][0]
    await send(accept)
    socket = Socket(grant, request, send)
    keepalive = float(settings.HEARTH_LIVE_KEEPALIVE)
    loop = asyncio.get_running_loop()
    checked_at = loop.time()
    receiving: asyncio.Future[Any] = asyncio.ensure_future(receive())
    try:
        if params.get("stream"):
            await socket.subscribe(params["stream"], params)
        while True:
            timeout = max(0.0, checked_at + keepalive - loop.time())
            done, _ = await asyncio.wait({receiving}, timeout=timeout)
            if loop.time() - checked_at >= keepalive:
                if not await grant_still_valid(grant):
                    await socket.close()
                    await send({"type": "websocket.close", "code": 1000})
                    return
                checked_at = loop.time()
            if receiving not in done:
                continue
            message = receiving.result()
            if message["type"] == "websocket.disconnect":
                return
            receiving = asyncio.ensure_future(receive())
            if message["type"] == "websocket.receive":
                raw = message.get("text")
                if raw is None and message.get("bytes") is not None:
                    raw = message["bytes"].decode("utf-8", "replace")
                await socket.handle(raw or "")
    except (OSError, RuntimeError):
        logger.debug("websocket ended", exc_info=True)
    finally:
        await socket.close()
        await _cancel(receiving)


async def streaming_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """STREAMING_PATH and below: WebSocket here, HTTP (SSE) in hearth.api.streaming.sse."""
    if scope["type"] == "websocket":
        await websocket_app(scope, receive, send)
    else:
        await streaming_app(scope, receive, send)
