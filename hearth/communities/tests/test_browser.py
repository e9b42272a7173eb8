"""Communities in a real browser (Playwright + Debian's Chromium) against a live server.

Joining with the rules acknowledged, a moderator removing a post with a
reason (the author is told), and finding a community from a description.
These tests commit for real (transaction=True); the notification a removal
sends is made by a task, which runs inline here through the ImmediateBackend
set in hearth/conftest.py. The browser fixtures are hearth/feeds/tests'; without
/usr/bin/chromium the tests skip, or fail when HEARTH_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hearth.accounts.models import User
from hearth.accounts.services import user_create
from hearth.communities.models import Community, LogEntry, Membership
from hearth.communities.services import community_create, membership_join
from hearth.discovery.selectors import communities_find
from hearth.feeds.tests.test_browser import PASSWORD, expect, log_in
from hearth.posts.models import Post
from hearth.posts.services import post_create

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.django_db(transaction=True)]

NewContext = Callable[..., "BrowserContext"]

RULES = [
    "Every pace is a real pace.",
    "Race reports are celebrated, whatever the finishing time.",
    "Injury advice is shared experience, not a diagnosis.",
    "No selling of race places or kit without the moderators' OK.",
]


def person(username: str, name: str) -> User:
    return user_create(
        username=username, email=f"{username}@example.org", password=PASSWORD, display_name=name
    )


def running_club(owner: User) -> Community:
    return community_create(
        creator=owner,
        name="Long Run Sunday",
        slug="long-run-sunday",
        description="Runners of every pace training for half marathons, marathons and ultras.",
        who_for="distance runners, from first-time half marathoners to ultrarunners",
        topics="marathon training, running injuries, race reports",
        kind=Community.Kind.INTEREST,
        rules=RULES,
    )


def assert_fits(page: Page, width: int) -> None:
    """Nothing on the page makes it scroll sideways."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at a {width}px viewport"


@pytest.mark.parametrize("width", [1280, 360])
def test_join_with_the_rules_then_post(new_context: NewContext, width: int) -> None:
    """Join: the rules must be ticked; a newcomer is reminded of the norms above the composer."""
    club = running_club(person("dev", "Dev Patel"))
    person("maya", "Maya Okafor")
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "maya")

    page.goto(f"/c/{club.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Long Run Sunday")
    assert_fits(page, width)
    page.get_by_role("link", name="Join", exact=True).click()
    page.wait_for_url(f"**/c/{club.slug}/join")
    expect(page.get_by_role("list").filter(has_text="Every pace is a real pace.")).to_be_visible()
    assert_fits(page, width)

    # Submitting without the tick: the message sits by the checkbox, which points at it.
    page.get_by_role("button", name="Join", exact=True).click()
    box = page.get_by_label("I have read the rules and will follow them")
    expect(box).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + (box.get_attribute("aria-describedby") or "missing"))
    expect(message).to_have_text("Please read the rules and tick the box to agree to them.")
    assert not Membership.objects.filter(user__username="maya").exists()
    assert_fits(page, width)

    box.check()
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_url(f"**/c/{club.slug}")
    expect(page.get_by_text("Welcome to Long Run Sunday!")).to_be_visible()
    reminder = page.get_by_role("complementary", name="A reminder of the norms")
    expect(reminder).to_contain_text("You joined Long Run Sunday this week")
    expect(reminder).to_contain_text("Every pace is a real pace.")
    expect(reminder.get_by_role("link", name="All 4 rules")).to_be_visible()
    # The reminder comes before the composer.
    composer = page.get_by_label("What would you like to share?")
    reminder_box, composer_box = reminder.bounding_box(), composer.bounding_box()
    assert reminder_box and composer_box and reminder_box["y"] < composer_box["y"]
    expect(page.get_by_text("Posting in Long Run Sunday: anyone can read it.")).to_be_visible()
    assert_fits(page, width)

    composer.fill("Hello! Building up to my first 10k. Every pace is a real pace, right?")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(f"**/c/{club.slug}")
    posts = page.get_by_role("list", name="Posts in Long Run Sunday")
    expect(posts.locator("article.post").first).to_contain_text("Building up to my first 10k")
    post = Post.objects.get(author__username="maya")
    assert post.community_id == club.pk
    assert_fits(page, width)


def test_moderator_removes_a_post_and_the_author_is_told(new_context: NewContext) -> None:
    """A moderator removes a post with a reason; its author is notified and sees why."""
    dev = person("dev", "Dev Patel")
    club = running_club(dev)
    kenji = person("kenji", "Kenji Watanabe")
    membership_join(community=club, user=kenji, accept_rules=True)
    post = post_create(
        author=kenji,
        text="Selling my barely used running shoes, size 9, £30. We did not get on.",
        community_id=club.pk,
    )
    reason = "Kit sales need the moderators' OK first (rule 4). Message me and we'll help."

    mod = new_context().new_page()
    log_in(mod, "dev")
    mod.goto(f"/c/{club.slug}")
    article = mod.locator(f"#post-{post.pk}")
    article.get_by_role("link", name="Moderate").click()
    mod.wait_for_url(f"**/c/{club.slug}/posts/{post.pk}/moderate")
    mod.get_by_label(re.compile(r"^Reason")).fill(reason)
    mod.get_by_role("button", name="Remove").click()
    expect(mod.get_by_text("Removed. The author has been told why.")).to_be_visible()
    expect(mod.get_by_text(f"Removed. Reason: “{reason}”")).to_be_visible()
    entry = LogEntry.objects.get(action=LogEntry.Action.REMOVE_POST)
    assert entry.reason == reason and entry.post_id == post.pk
    # Gone from the community page for everyone else.
    mod.goto(f"/c/{club.slug}")
    expect(mod.locator(f"#post-{post.pk}")).to_have_count(0)

    author = new_context().new_page()
    log_in(author, "kenji")
    author.goto("/notifications")
    items = author.get_by_role("list", name="Notifications").get_by_role("listitem")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Dev Patel")
    expect(items.first).to_contain_text("removed your post from Long Run Sunday")
    expect(items.first).to_contain_text(f"Reason: “{reason}”")
    items.first.get_by_role("link", name="your post").click()
    notice = author.locator(f"#post-{post.pk}").get_by_role("note")
    expect(notice).to_contain_text(
        "The moderators of Long Run Sunday removed this post; only you can see it."
    )
    expect(notice).to_contain_text(f"Reason: “{reason}”")


def test_find_your_people_from_a_description(new_context: NewContext) -> None:
    """A visitor describes what they're going through and is shown where their people are."""
    owner = person("rosa", "Rosa Delgado")
    community_create(
        creator=owner,
        name="After a Parent Dies",
        slug="after-a-parent-dies",
        description="A gentle place for anyone who has lost a mum, dad or the person who "
        "raised them. We share memories, bad days, anniversaries and the strange admin "
        "that comes after a death.",
        who_for="people grieving a mother, father or parent figure, however long ago",
        topics="grief after losing a parent, anniversaries after a death",
        kind=Community.Kind.SUPPORT,
        rules=["There is no right way or right time to grieve."],
    )
    running_club(owner)
    community_create(
        creator=owner,
        name="Plot and Patch",
        slug="plot-and-patch",
        description="Allotment holders, balcony growers and back garden vegetable patches.",
        who_for="people who grow vegetables, fruit and flowers",
        topics="growing vegetables, allotments, composting",
        rules=["Be patient with beginners."],
    )

    # The ranker is fitted on first use (loading a model can take a while on a busy
    # machine); fit it here so the page answers within the browser's time limit.
    assert communities_find(text="grief")

    page = new_context().new_page()
    page.goto("/communities/find")
    page.get_by_label("In your own words").fill(
        "My mum died in the spring and I keep picking up the phone to call her. "
        "Nobody at work mentions it any more."
    )
    page.get_by_role("button", name="Find communities").click()
    page.wait_for_url("**/communities/find?q=*")
    expect(page.get_by_role("heading", name="Where your people might be")).to_be_visible()
    cards = page.get_by_role("list", name="Suggested communities").get_by_role("listitem")
    first = cards.first
    expect(first.get_by_role("heading")).to_have_text("After a Parent Dies")
    reason = first.locator(".reason")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text(re.compile(r"grie|parent|mum|death", re.IGNORECASE))
    first.get_by_role("link", name="After a Parent Dies").click()
    page.wait_for_url("**/c/after-a-parent-dies")
