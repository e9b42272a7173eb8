"""Support on a 360 px phone screen (Playwright + Debian's Chromium) against a live server.

Asking for support through the form, a supporter finding it on /support, a
capacity of zero refused in words, the worried flow and the helplines: each
page is checked for sideways scrolling, and saved to /tmp/hearth-shots to
look at. Earlier transactional tests flush the database, so the shipped
helplines are loaded here as their migration loads them (serialized_rollback
did that before, but restoring a serialized database after another
transactional test's flush collides on PostgreSQL with the content types that
flush recreated).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hearth.accounts.models import User
from hearth.accounts.services import user_create
from hearth.feeds.tests.test_browser import PASSWORD, SHOTS, expect, log_in
from hearth.support.data_load import starting_resources
from hearth.support.models import CrisisResource, Supporter, SupportRequest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.django_db(transaction=True)]

NewContext = Callable[..., "BrowserContext"]
PHONE = {"viewport": {"width": 360, "height": 780}}


@pytest.fixture(autouse=True)
def shipped_helplines() -> None:
    if not CrisisResource.objects.exists():
        CrisisResource.objects.bulk_create(
            [CrisisResource(checked=False, **fields) for fields in starting_resources()]
        )


def person(username: str, name: str) -> User:
    return user_create(
        username=username, email=f"{username}@example.org", password=PASSWORD, display_name=name
    )


def fits(page: Page, name: str) -> None:
    """No sideways scrolling at 360 px; a full-page screenshot to look at."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"support-{name}.png"), full_page=True)


def test_asking_supporting_and_worrying_on_a_phone(new_context: NewContext) -> None:
    asker = person("rowan", "Rowan Hale")
    helper = person("ines", "Inés Ferreira")
    Supporter.objects.create(user=helper, topics=",grief,loneliness,", weekly_capacity=2)

    page = new_context(**PHONE).new_page()
    log_in(page, asker.username)
    page.goto("/support/new")
    fits(page, "new")
    page.get_by_label("What's going on?").fill(
        "My dad died in March and the evenings are the hardest. I don't need advice, "
        "just someone to hear it."
    )
    page.get_by_label("Someone to listen").check()
    page.get_by_label("What is it about?").select_option("grief")
    page.get_by_label("Only supporters Hearth asks").check()
    page.get_by_role("button", name="Ask for support").click()
    expect(page.get_by_role("heading", name="Your request for support")).to_be_visible()
    expect(page.get_by_text("1 volunteer supporter has been asked")).to_be_visible()
    fits(page, "request-asker")

    other = new_context(**PHONE).new_page()
    log_in(other, helper.username)
    other.goto("/support")
    expect(other.get_by_text("My dad died in March")).to_be_visible()
    fits(other, "home-supporter")
    other.goto("/support/settings")
    other.get_by_label("Requests a week, at most").fill("0")
    other.get_by_role("button", name="Save").first.click()
    expect(other.get_by_text("A capacity of 0 would mean nobody can ask you")).to_be_visible()
    fits(other, "settings-error")

    request = SupportRequest.objects.get(asker=asker)
    other.goto(f"/support/worried/{request.pk}")
    fits(other, "worried")
    other.get_by_role("button", name="Send them a caring message").click()
    expect(other.get_by_text("You won't hear back about it")).to_be_visible()

    page.goto("/support/care")
    expect(page.get_by_role("heading", name="Someone is thinking of you")).to_be_visible()
    fits(page, "care")
    page.goto("/support")
    fits(page, "home-asker")
    page.goto("/support/resources")
    fits(page, "resources")
