"""A real ASGI server for the browser tests: granian, in a thread of the test process.

It serves what `hearth demo` serves, pages (Django's WSGI handler on a
thread pool) and /live (Server-Sent Events), on a loopback port. Being in
this process, it shares the test database and, without Redis, the
in-process live hub. The browser (Debian's /usr/bin/chromium, driven by
Playwright) is the one of hearth/feeds/tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from hearth.feeds.tests.conftest import browser, contexts_at

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

__all__ = ["asgi_server", "asgi_streams", "browser", "new_context"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def asgi_streams() -> list[Any]:
    """Further (path prefix, ASGI app) pairs to serve: tests of another interface override it."""
    return []


@pytest.fixture
def asgi_server(
    transactional_db: None, settings: Any, asgi_streams: list[Any], monkeypatch: Any
) -> Iterator[str]:
    """Serve pages and /live with granian's embedded ASGI server; yields the base URL.

    The server's request threads close their database connection after each
    request (CONN_MAX_AGE 0 while it runs): a connection left open in one of
    them would keep PostgreSQL from dropping the test database at the end.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
    from granian.constants import Interfaces
    from granian.server.embed import Server

    from hearth.core.sse import embedded_app

    settings.HEARTH_LIVE_EMBEDDED = True
    settings.HEARTH_LIVE_KEEPALIVE = 2
    port = _free_port()
    server = Server(
        embedded_app(WSGIHandler(), threads=4, streams=asgi_streams),
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGI,
        websockets=True,
        log_enabled=False,
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(server.serve()), name="test-granian", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(server.signal_handler_interrupt)
    thread.join(timeout=10)


@pytest.fixture
def new_context(browser: Browser, asgi_server: str) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts aimed at the in-thread ASGI server (pages and /live)."""
    yield from contexts_at(browser, asgi_server)
