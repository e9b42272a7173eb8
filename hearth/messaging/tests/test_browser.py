"""Live messages end to end: two browsers, a real ASGI server, SSE, on both live backends.

A message sent in one browser context appears in the other without a
reload: the page's EventSource to /live receives it from core.live, over
the in-process hub (SQLite, the embedded mode) or Redis pub/sub.
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from hearth.accounts.tests.factories import PASSWORD, UserFactory, follow
from hearth.core.tests.test_live import redis_available
from hearth.messaging.models import Participant
from hearth.messaging.tests.helpers import start

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.django_db(transaction=True)]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/home")


@pytest.fixture(params=["memory", "redis"])
def live_backend(request: pytest.FixtureRequest, settings: Any) -> str:
    if request.param == "redis":
        if not redis_available():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.REDIS_URL = os.environ.get("HEARTH_REDIS_URL") or "redis://127.0.0.1:6379/0"
    else:
        settings.REDIS_URL = ""
    settings.HEARTH_LIVE_PREFIX = f"test-{uuid.uuid4().hex}:live:"
    return str(request.param)


def test_a_message_appears_in_the_other_browser_without_reload(
    live_backend: str, new_context: Any
) -> None:
    ana = UserFactory(username="ana")
    ben = UserFactory(username="ben")
    follow(ben, ana)
    follow(ana, ben)
    conversation, _ = start(ana, ben, text="Coffee on Saturday?")

    ana_page = new_context().new_page()
    ben_page = new_context().new_page()
    log_in(ana_page, "ana")
    log_in(ben_page, "ben")

    ben_page.goto(conversation.get_absolute_url())
    expect(ben_page.get_by_text("Coffee on Saturday?")).to_be_visible()
    # Wait for the stream to be open before anything is sent.
    expect(ben_page.locator("html[data-live='open']")).to_have_count(1)
    ben_page.evaluate("window.__sameDocument = true")

    # Ana, elsewhere: her Messages badge should count Ben's reply live.
    ana_page.goto("/home")
    expect(ana_page.locator("html[data-live='open']")).to_have_count(1)

    # Ben replies through the page form (a full POST and redirect in his browser)...
    ana_chat = new_context().new_page()
    log_in(ana_chat, "ana")
    ana_chat.goto(conversation.get_absolute_url())
    expect(ana_chat.locator("html[data-live='open']")).to_have_count(1)
    ana_chat.evaluate("window.__sameDocument = true")

    ben_page.get_by_role("textbox", name="Message").fill("Yes! The usual place?")
    ben_page.get_by_role("button", name="Send").click()
    ben_page.wait_for_url(f"**{conversation.get_absolute_url()}*")

    # ...and it appears in Ana's open conversation without a reload.
    expect(ana_chat.get_by_text("Yes! The usual place?")).to_be_visible()
    assert ana_chat.evaluate("window.__sameDocument === true")
    assert ana_chat.locator(".dm").last.get_attribute("class") == "dm"  # not hers

    # Ana answers from her page; Ben's page (reloaded by his POST) gets it live.
    expect(ben_page.locator("html[data-live='open']")).to_have_count(1)
    ben_page.evaluate("window.__sameDocument = true")
    ana_chat.get_by_role("textbox", name="Message").fill("See you at ten")
    ana_chat.get_by_role("button", name="Send").click()
    expect(ben_page.get_by_text("See you at ten")).to_be_visible()
    assert ben_page.evaluate("window.__sameDocument === true")

    # Ana's home tab counted Ben's message in the Messages badge, live.
    expect(ana_page.locator("#nav-messages .badge")).to_have_text("1")


def test_pages_work_without_javascript(live_backend: str, new_context: Any) -> None:
    UserFactory(username="ana")
    ben = UserFactory(username="ben")
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "ana")
    page.goto("/messages/new")
    page.get_by_label("To", exact=True).fill("ben")
    page.get_by_role("textbox", name="Message").fill("Hello from a plain form")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Hello from a plain form")).to_be_visible()
    assert Participant.objects.get(user=ben).state == Participant.State.REQUEST


def _sticking_out(page: Page, width: int) -> list[str]:
    """Elements reaching past the screen's edges, even inside an overflow-hidden parent."""
    return list(
        page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(el => { const r = el.getBoundingClientRect();
                                return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)
                                    && !el.closest('.visually-hidden, .skip-link'); })
                .map(el => el.tagName + '.' + el.className)""",
            width,
        )
    )


def test_messages_on_a_small_phone(new_context: Any) -> None:
    """/messages and a conversation at 360x740: no sideways scrolling, the composer usable."""
    ana = UserFactory(username="ana", display_name="Anastasia Papadopoulou-Whitfield")
    ben = UserFactory(username="benedict_longname", display_name="Benedict Abernathy-Okonkwo")
    cy = UserFactory(username="cy", display_name="Cyrus Montgomery-Vanderbilt")
    for person in (ben, cy):
        follow(person, ana)
        follow(ana, person)
    start(
        ana,
        ben,
        cy,
        title="Neighbourhood allotment committee and friends",
        text="Notes: https://example.org/community/gatherings/2026/november/allotment-minutes",
    )
    conversation, _ = start(
        ben,
        ana,
        text="A long word: Donaudampfschifffahrtsgesellschaftskapitänswitwe, and a photo",
        photo=True,
    )
    width = 360
    page = new_context(viewport={"width": width, "height": 740}, device_scale_factor=1).new_page()
    log_in(page, "ana")

    for url in ("/messages", conversation.get_absolute_url()):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{url} scrolls sideways: {scroll_width}px wide"
        assert _sticking_out(page, width) == [], url

    box = page.get_by_role("textbox", name="Message")
    box.scroll_into_view_if_needed()
    expect(box).to_be_in_viewport()
    send = page.get_by_role("button", name="Send")
    send.scroll_into_view_if_needed()
    expect(send).to_be_in_viewport()
    page.get_by_text("Add photos (up to 4)").click()
    assert _sticking_out(page, width) == [], "the photo fields stick out"
    box.fill("Sounds lovely, see you at the gate")
    send.click()
    expect(page.locator(".dm").last).to_contain_text("Sounds lovely, see you at the gate")
