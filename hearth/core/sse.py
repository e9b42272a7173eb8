"""The live endpoint: Server-Sent Events over ASGI, and the one-process server of `hearth demo`.

`live_app` is a plain ASGI application serving one path (HEARTH_LIVE_PATH,
`/live` by default): an EventSource stream for the signed-in person. It
authenticates with Django's own session cookie, reading the session and
the user through sync_to_async, so the stream sees exactly who the pages
see; anyone else gets 401 and the browser stops retrying. Each event
carries an `id:` so a reconnecting browser sends Last-Event-ID and gets
what it missed from the short backlog in core.live. A comment line every
HEARTH_LIVE_KEEPALIVE seconds keeps proxies from closing an idle stream
and lets the server notice a client that went away.

Pages stay on WSGI (docs/live.md explains why). `embedded_app` puts both
behind one ASGI listener for the one-process embedded mode: `/live` goes to
`live_app`, everything else to the WSGI application run on a thread pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.db import connections
from django.http.cookie import parse_cookie

from hearth.core import live

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
WSGIApp = Callable[..., Iterable[bytes]]

# How long a browser waits before reconnecting after the stream drops (ms).
RETRY_MS = 5000


def _headers(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        out[name] = f"{out[name]}; {value}" if name == "cookie" and name in out else value
    return out


def _user_id_for_session(session_key: str) -> int | None:
    """The active person signed in with this session, as Django's own middleware finds them.

    get_user checks the session's auth hash, so a session ended by a
    password change or a log-out elsewhere is refused here too.
    """
    try:
        engine = import_module(settings.SESSION_ENGINE)
        store = engine.SessionStore(session_key)
        user = get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
        if user.is_authenticated and user.is_active:
            return int(user.pk)
        return None
    finally:
        # This runs on a pool thread that may not serve Django again for a
        # while: give its connection back rather than hold it open.
        connections.close_all()


async def _plain(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def format_event(event: live.LiveEvent) -> bytes:
    """One SSE frame. The JSON is on one line, so one `data:` line suffices."""
    return (
        f"id: {event.id}\nevent: {event.event}\n"
        f"data: {json.dumps(event.data, separators=(',', ':'))}\n\n"
    ).encode()


def channels_for_user(user_id: int) -> list[str]:
    """The channels one person's page stream listens to."""
    return [f"user:{user_id}"]


async def live_app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI application: GET HEARTH_LIVE_PATH streams the signed-in person's events."""
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    if scope["path"] != settings.HEARTH_LIVE_PATH:
        await _plain(send, 404, "Not found")
        return
    if scope["method"] not in ("GET", "HEAD"):
        await _plain(send, 405, "Method not allowed")
        return
    headers = _headers(scope)
    session_key = parse_cookie(headers.get("cookie", "")).get(settings.SESSION_COOKIE_NAME, "")
    user_id = None
    if session_key:
        user_id = await sync_to_async(_user_id_for_session, thread_sensitive=False)(session_key)
    if user_id is None:
        await _plain(send, 401, "Log in to receive live updates.")
        return
    last_id = headers.get("last-event-id") or None
    await stream(send, receive, channels_for_user(user_id), last_event_id=last_id)


# Turns a bus event into the frame one subscriber gets, or None to send nothing.
Render = Callable[[live.LiveEvent], Awaitable[bytes | None]]
# Whether the subscriber may still listen (a token may be revoked meanwhile).
StillAllowed = Callable[[], Awaitable[bool]]


async def stream(
    send: Send,
    receive: Receive,
    channels: list[str],
    *,
    last_event_id: str | None = None,
    render: Render | None = None,
    still_allowed: StillAllowed | None = None,
    retry: bool = True,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Send an event stream of `channels` until the client disconnects.

    Reusable by other ASGI endpoints (the Mastodon streaming API) once they
    have authorized the channels: `render` makes each subscriber's own frame
    (by default `format_event`), `still_allowed` is asked at most once per
    keepalive interval and ends the stream when it answers False, and
    `retry=False` leaves out the opening `retry:` line (Mastodon clients
    take every block for an event).
    """
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache, no-store"),
                # nginx would otherwise buffer the stream.
                (b"x-accel-buffering", b"no"),
                *headers,
            ],
        }
    )
    opening = f"retry: {RETRY_MS}\n\n".encode() if retry else b""
    await send({"type": "http.response.body", "body": opening, "more_body": True})
    keepalive = float(settings.HEARTH_LIVE_KEEPALIVE)
    loop = asyncio.get_running_loop()
    checked_at = loop.time()
    events: AsyncIterator[live.LiveEvent] = live.subscribe(
        channels, last_event_id=last_event_id
    ).__aiter__()
    disconnected: asyncio.Future[Any] = asyncio.ensure_future(_wait_disconnect(receive))
    next_event: asyncio.Future[Any] | None = None
    try:
        while True:
            if next_event is None:
                next_event = asyncio.ensure_future(events.__anext__())
            done, _ = await asyncio.wait(
                {next_event, disconnected}, timeout=keepalive, return_when=asyncio.FIRST_COMPLETED
            )
            if disconnected in done:
                return
            if still_allowed is not None and loop.time() - checked_at >= keepalive:
                if not await still_allowed():
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
                checked_at = loop.time()
            body: bytes | None
            if next_event in done:
                event = next_event.result()
                next_event = None
                body = format_event(event) if render is None else await render(event)
                if not body:
                    continue
            else:
                body = b": keepalive\n\n"
            await send({"type": "http.response.body", "body": body, "more_body": True})
    except (OSError, RuntimeError, StopAsyncIteration):
        # The client went away mid-send, or the backend closed: the browser reconnects.
        logger.debug("live stream ended", exc_info=True)
    finally:
        for task in (next_event, disconnected):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        with contextlib.suppress(Exception):
            await events.aclose()  # type: ignore[attr-defined]


async def _wait_disconnect(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


# --- the embedded one-process server -------------------------------------------


class WSGIBridge:
    """Run a WSGI application for ASGI requests, on a pool of threads.

    Only for the embedded mode: the request body and the response are held
    in memory (pages and photos, never a stream), which is what Django's
    pages produce anyway. Production serves pages with granian's WSGI
    interface directly.
    """

    def __init__(self, app: WSGIApp, *, threads: int = 8) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hearth-web")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        environ = self._environ(scope, bytes(body))
        loop = asyncio.get_running_loop()
        status, headers, chunks = await loop.run_in_executor(self.executor, self._run, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    @staticmethod
    def _environ(scope: Scope, body: bytes) -> dict[str, Any]:
        server = scope.get("server") or ("127.0.0.1", 80)
        client = scope.get("client") or ("127.0.0.1", 0)
        path = scope.get("root_path", "") + scope["path"]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": scope["method"],
            "SCRIPT_NAME": "",
            # PEP 3333: the path as bytes decoded with latin-1.
            "PATH_INFO": path.encode("utf-8").decode("latin-1"),
            "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
            "SERVER_NAME": str(server[0]),
            "SERVER_PORT": str(server[1] or 80),
            "REMOTE_ADDR": str(client[0]),
            "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.get("scheme", "http"),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
        }
        for raw_name, raw_value in scope.get("headers", []):
            name = raw_name.decode("latin-1").upper().replace("-", "_")
            value = raw_value.decode("latin-1")
            if name == "CONTENT_LENGTH":
                continue
            key = "CONTENT_TYPE" if name == "CONTENT_TYPE" else f"HTTP_{name}"
            if key in environ:
                sep = "; " if key == "HTTP_COOKIE" else ","
                environ[key] = f"{environ[key]}{sep}{value}"
            else:
                environ[key] = value
        return environ

    def _run(self, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], list[bytes]]:
        captured: dict[str, Any] = {}
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = [
                (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
            ]
            return written.append

        result = self.app(environ, start_response)
        try:
            chunks = [*written, *result]
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured["status"], captured["headers"], chunks


def route(path: str, prefixes: Sequence[tuple[str, ASGIApp]]) -> ASGIApp | None:
    """The app of the first prefix `path` equals or lies under, if any."""
    for prefix, app in prefixes:
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return app
    return None


def embedded_app(
    wsgi_app: WSGIApp, *, threads: int = 8, streams: Sequence[tuple[str, ASGIApp]] = ()
) -> ASGIApp:
    """One ASGI application for the embedded mode: `/live` and `streams` stream, the rest is WSGI.

    `streams` are (path prefix, ASGI app) pairs: long-lived endpoints that
    other apps add (the Mastodon streaming API, wired in hearth.config.asgi);
    WebSocket connections go to them too.
    """
    bridge = WSGIBridge(wsgi_app, threads=threads)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] == settings.HEARTH_LIVE_PATH:
            await live_app(scope, receive, send)
        elif scope["type"] == "http":
            await (route(scope["path"], streams) or bridge)(scope, receive, send)
        elif scope["type"] == "websocket":
            # Only `streams` speak WebSocket; elsewhere the upgrade is refused (403).
            await (route(scope["path"], streams) or live_app)(scope, receive, send)

    return app
