"""Gatherings in a real browser (Playwright + Debian's Chromium) against a live server.

A host creates a gathering through the form; another person answers "going"
on its page, with JavaScript (the htmx swap) and without; the meeting link
appears to them only once they are going; when the gathering is full the
next person joins the waitlist. And /gatherings and a gathering page fit a
360 px phone screen. These tests commit for real (transaction=True); the
browser fixtures are hearth/feeds/tests' (see this folder's conftest.py), and
without /usr/bin/chromium the tests skip, or fail when HEARTH_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.services import user_create
from hearth.feeds.tests.test_browser import PASSWORD, expect, log_in
from hearth.gatherings import services
from hearth.gatherings.models import Gathering, Rsvp
from hearth.gatherings.tests.factories import gathering, local_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.django_db(transaction=True)]

NewContext = Callable[..., "BrowserContext"]
LINK = "https://meet.example.org/evening-book-swap-room"


def person(username: str, name: str) -> User:
    return user_create(
        username=username, email=f"{username}@example.org", password=PASSWORD, display_name=name
    )


def assert_fits(page: Page, width: int) -> None:
    """Nothing on the page makes it scroll sideways."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at a {width}px viewport"


def create_through_the_form(page: Page) -> Gathering:
    starts = local_in("Europe/Berlin", days=5).replace(hour=19)
    page.goto("/gatherings/new")
    page.get_by_label("Title").fill("Evening book swap by video")
    page.get_by_label("Description").fill("Bring a book you loved and say why in a minute or two.")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("It happens online").check()
    page.get_by_label("Meeting link (optional)").fill(LINK)
    page.get_by_label("Capacity").fill("2")
    page.get_by_role("button", name="Create the gathering").click()
    page.wait_for_url(re.compile(r"/gatherings/\d+$"))
    expect(page.get_by_text("Your gathering is up.")).to_be_visible()
    return Gathering.objects.get(title="Evening book swap by video")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_going_reveals_the_link_and_a_full_gathering_has_a_waitlist(
    new_context: NewContext, js: bool
) -> None:
    person("hilde", "Hilde Host")
    pat = person("pat", "Pat Reader")
    lee = person("lee", "Lee Latecomer")
    host_page = new_context().new_page()
    log_in(host_page, "hilde")
    g = create_through_the_form(host_page)
    expect(host_page.get_by_role("link", name=LINK)).to_be_visible()  # the host sees it

    page = new_context(java_script_enabled=js).new_page()
    log_in(page, "pat")
    page.goto(g.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening book swap by video")
    expect(page.get_by_text("the link is shown to people going")).to_be_visible()
    assert LINK not in page.content()
    expect(page.get_by_text("1 place left.")).to_be_visible()

    page.get_by_role("button", name="Going", exact=True).click()
    if not js:
        page.wait_for_url(re.compile(r"/gatherings/\d+$"))
        expect(page.get_by_text("You're going. See you there!")).to_be_visible()
    rsvp = page.locator("#rsvp")
    expect(rsvp).to_contain_text("Your answer: Going")
    expect(rsvp.get_by_role("button", name="Going", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    if js:  # the swap keeps the keyboard where it was
        expect(rsvp.get_by_role("button", name="Going", exact=True)).to_be_focused()
    # Only now, and on the same page with htmx: the link and the name in the list.
    expect(page.get_by_role("link", name=LINK)).to_be_visible()
    going = page.get_by_role("list", name="Going")
    expect(going.get_by_role("link", name="Pat Reader")).to_be_visible()
    assert Rsvp.objects.get(gathering=g, user=pat).state == "going"

    # Full now (host and Pat): the next person is offered the waitlist.
    late = new_context(java_script_enabled=js).new_page()
    log_in(late, "lee")
    late.goto(g.get_absolute_url())
    expect(
        late.get_by_text("It's full: answering “going” puts you on the waitlist.")
    ).to_be_visible()
    late.get_by_role("button", name="Join the waitlist").click()
    expect(late.locator("#rsvp")).to_contain_text("You're on the waitlist.")
    waitlist = late.get_by_role("list", name="On the waitlist")
    expect(waitlist.get_by_role("link", name="Lee Latecomer")).to_be_visible()
    expect(late.get_by_role("button", name="On the waitlist")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert LINK not in late.content()
    assert Rsvp.objects.get(gathering=g, user=lee).state == "waitlisted"

    # Pat can't go after all: Lee moves up, and sees the link on the next visit.
    page.get_by_role("button", name="Can't go").click()
    expect(page.locator("#rsvp")).to_contain_text("Your answer: Can't go")
    expect(page.get_by_text("the link is shown to people going")).to_be_visible()
    late.goto(g.get_absolute_url())
    expect(late.get_by_role("link", name=LINK)).to_be_visible()


def test_gatherings_fit_a_phone_screen(new_context: NewContext) -> None:
    host = person("hilde", "Hilde Host")
    person("pat", "Pat Reader")
    long_link = "https://meet.example.org/join?room=" + "Kx7Qp2Zr" * 12  # no break
    g = gathering(
        host,
        title="An afternoon of board games, tea and cake in the community garden shed",
        address="Gemeinschaftsgarten am Landwehrkanal, Paul-Lincke-Ufer 21, 10999 Berlin",
        area="Kreuzberg, Berlin",
        meeting_url=long_link,
        capacity=12,
    )
    gathering(host, title="Walk by the river", starts_local=local_in("Europe/Berlin", days=9))
    pat = User.objects.get(username="pat")
    services.rsvp_set(gathering=g, user=pat, state="going")
    assert g.ends_at > timezone.now()

    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(page, "pat")
    for url in ("/gatherings", "/gatherings?show=yours", g.get_absolute_url()):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(page, 360)
    expect(page.get_by_role("link", name=long_link)).to_be_visible()
    page.goto("/gatherings/new")
    assert_fits(page, 360)
