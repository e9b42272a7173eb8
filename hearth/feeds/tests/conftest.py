"""Browser fixtures: Playwright for Python driving Debian's Chromium at /usr/bin/chromium.

Playwright's own browser downloads are never used (they fetch from the network).
Without Chromium the browser tests skip, unless HEARTH_REQUIRE_BROWSER=1 (as in
.ci/run), where a missing or broken browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

CHROMIUM = "/usr/bin/chromium"
# The machines have no network: without these flags Chromium keeps trying to
# reach Google's services and stalls. --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright waits this long (ms) for an element or a navigation before failing;
# everything here is a local page, so a short limit keeps a broken test quick.
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("HEARTH_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason}, and HEARTH_REQUIRE_BROWSER=1 requires the browser tests", pytrace=False
        )
    pytest.skip(f"{reason}: browser tests skipped (apt-get install chromium to run them)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module.

    Playwright's sync API keeps an asyncio loop marked as running on this
    thread while it is started, and Django refuses ORM calls from a thread
    with a running loop. The tests' ORM calls are plain synchronous code, so
    DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser is up, and Playwright
    is stopped at the end of the module so the rest of the suite runs with
    Django's check in force again.
    """
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


def contexts_at(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Yield a maker of fresh browser contexts aimed at `base_url`; closes them after."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        ctx = browser.new_context(base_url=base_url, **options)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Make fresh browser contexts (separate cookies: separate people) aimed at the live server."""
    yield from contexts_at(browser, live_server.url)
