"""A real ASGI server for the browser tests: granian, in a thread of the test process.

It serves what `hearth demo` serves, pages (Django's WSGI handler on a
thread pool) and /live (Server-Sent Events), on a loopback port. Being in
this process, it shares the test database and, without Redis, the
in-process live hub. Chromium is Debian's /usr/bin/chromium, driven by
Playwright as in hearth/feeds/tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("HEARTH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and HEARTH_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(f"{reason}: browser tests skipped")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        try:
            chromium = pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=30_000
            )
        except Error as exc:
            _unavailable(f"{CHROMIUM} did not start: {exc.message.splitlines()[0]}")
        yield chromium
        chromium.close()
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def asgi_streams() -> list[Any]:
    """Further (path prefix, ASGI app) pairs to serve: tests of another interface override it."""
    return []


@pytest.fixture
def asgi_server(transactional_db: None, settings: Any, asgi_streams: list[Any]) -> Iterator[str]:
    """Serve pages and /live with granian's embedded ASGI server; yields the base URL."""
    from django.core.handlers.wsgi import WSGIHandler
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
        websockets=False,
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
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        ctx = browser.new_context(base_url=asgi_server, **options)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
