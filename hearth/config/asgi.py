"""ASGI entry points.

`application` serves the long-lived endpoints: /live (the pages' Server-Sent
Events) and /api/v1/streaming/* (Mastodon's streaming API, over SSE and
WebSocket). In production it
runs as its own listener beside the WSGI pages, and the reverse proxy routes
both paths to it (docs/deployment.md). `embedded` serves pages and both
streams from one process, for `hearth demo` (docs/live.md).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.config.settings")
django.setup()

from hearth.api.streaming.access import STREAMING_PATH  # noqa: E402
from hearth.api.streaming.ws import streaming_endpoint  # noqa: E402
from hearth.core.sse import ASGIApp, Receive, Scope, Send, embedded_app, live_app, route  # noqa: E402

STREAMS: list[tuple[str, ASGIApp]] = [(STREAMING_PATH, streaming_endpoint)]


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] in ("http", "websocket"):
        await (route(scope["path"], STREAMS) or live_app)(scope, receive, send)
    else:
        await live_app(scope, receive, send)


def embedded(threads: int = 8) -> ASGIApp:
    from hearth.config.wsgi import application as wsgi_application

    return embedded_app(wsgi_application, threads=threads, streams=STREAMS)
