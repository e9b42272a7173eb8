"""Quiet hours end while the notifications page is open: the badge and the notice catch up.

A real browser (Playwright + Debian's Chromium) against the in-thread
granian server that also serves /live, on the in-process hub and on Redis.
The test stands in for the worker's periodic thread by calling
`releases_tick` itself once the quiet hours are over.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from hearth.accounts.services import user_create
from hearth.feeds.models import Notification
from hearth.feeds.tests.test_browser import PASSWORD, expect, live_context, log_in
from hearth.messaging.tests.conftest import asgi_server, asgi_streams
from hearth.messaging.tests.test_browser import live_backend
from hearth.wellbeing.models import Preferences
from hearth.wellbeing.periodic import releases_tick

pytestmark = [pytest.mark.django_db(transaction=True)]
__all__ = ["asgi_server", "asgi_streams", "live_backend", "live_context"]

BERLIN = ZoneInfo("Europe/Berlin")
# Long enough to log in and open a page while the quiet hours last.
QUIET_LEFT = 8.0


def test_the_badge_and_the_notice_update_when_quiet_hours_end(
    live_backend: str, live_context: Any
) -> None:
    cache.clear()
    ana = user_create(username="ana", email="ana@example.org", password=PASSWORD)
    ben = user_create(username="ben", email="ben@example.org", password=PASSWORD)
    now = timezone.now()
    ends = now + timedelta(seconds=QUIET_LEFT)
    Preferences.objects.create(
        user=ana,
        time_zone=str(BERLIN),
        quiet_start=(now - timedelta(hours=3)).astimezone(BERLIN).time(),
        quiet_end=ends.astimezone(BERLIN).time(),
    )
    Notification.objects.create(
        recipient=ana, actor=ben, kind="follow", source_key="t:follow", created_at=now
    )

    page = live_context().new_page()
    log_in(page, "ana")
    page.goto("/notifications")
    expect(page.locator("html[data-live='open']")).to_have_count(1)
    badge = page.locator(".site-nav a[href$='/notifications'] .badge")
    expect(badge).to_have_count(0)
    note = page.locator(".held-note")
    expect(note).to_contain_text("1 notification is waiting for the end of your quiet hours")
    assert timezone.now() < ends, "the page opened after the quiet hours ended: raise QUIET_LEFT"
    page.evaluate("window.__sameDocument = true")

    time.sleep(max(0.0, (ends - timezone.now()).total_seconds()) + 0.2)
    assert releases_tick() == (ana.pk,)

    expect(badge).to_have_text("1")
    expect(note).to_contain_text("Your quiet hours have ended: what waited has arrived.")
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    note.get_by_role("link", name="Show them").click()
    expect(page.get_by_text("While your quiet hours were on")).to_be_visible()
