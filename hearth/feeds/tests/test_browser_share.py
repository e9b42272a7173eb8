"""Sharing a post in a real browser: the toggle with and without JavaScript, and a phone's width.

Fixtures are in this folder's conftest.py; without /usr/bin/chromium the
test skips, or fails when HEARTH_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from hearth.accounts.services import follow_create, user_create
from hearth.posts.models import Boost
from hearth.posts.services import post_create

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-42"

NewContext = Callable[..., "BrowserContext"]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/home")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_share_from_a_profile_then_the_follower_sees_it(
    new_context: NewContext, javascript: bool
) -> None:
    author = user_create(username="amara", email="amara@example.org", password=PASSWORD)
    booster = user_create(username="bo", email="bo@example.org", password=PASSWORD)
    reader = user_create(username="rin", email="rin@example.org", password=PASSWORD)
    follow_create(follower=reader, followee=booster)
    post = post_create(author=author, text="The river walk is open again")

    # A phone's width: the actions wrap instead of running off the card.
    ctx = new_context(java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    log_in(page, "bo")
    page.goto("/@amara")
    card = page.locator(f"#post-{post.pk}")
    button = card.get_by_role("button", name=f"Share this post by {author.name}")
    expect(button).to_have_attribute("aria-pressed", "false")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    button.click()
    expect(card.get_by_role("button", name=f"Share this post by {author.name}")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(card.get_by_text("↻ Shared")).to_be_visible()
    assert Boost.objects.filter(booster=booster, post=post).exists()

    reader_page = new_context().new_page()
    log_in(reader_page, "rin")
    shared = reader_page.locator(f"#post-{post.pk}")
    expect(shared.get_by_text("The river walk is open again")).to_be_visible()
    expect(shared.locator(".post__shared")).to_contain_text(f"{booster.name} shared")

    # Taking it back: the toggle is released, and the share leaves the feed.
    page.reload()
    card = page.locator(f"#post-{post.pk}")
    card.get_by_role("button", name=f"Share this post by {author.name}").click()
    expect(card.get_by_role("button", name=f"Share this post by {author.name}")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert not Boost.objects.exists()
    reader_page.goto("/home")
    expect(reader_page.get_by_text("The river walk is open again")).to_have_count(0)
