"""A profile lists the person's shares among their own posts, as on Mastodon ("X shared")."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.models import User
from hearth.accounts.services import block_create, mute_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import CommittingClient, committed
from hearth.core.testing import page_ok
from hearth.posts import boosts
from hearth.posts.models import Boost, Post
from hearth.posts.pins import post_pin
from hearth.posts.selectors import post_get_visible
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def share(booster: User, post: Post) -> Boost:
    with committed():
        visible = post_get_visible(viewer=booster, post_id=post.pk)
        return boosts.boost_create(booster=booster, post=visible)


def profile_list(html: str) -> str:
    """The text of the profile's post list (not the pinned posts above it)."""
    found = re.search(r'<ol class="feed" aria-label="Posts by [^"]*">(.*?)</ol>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(found.group(1))).split()) if found else ""


def items(html: str) -> list[str]:
    """The "item N" texts of the profile's post list, top to bottom."""
    return re.findall(r"item \d+", profile_list(html))


def older_link(html: str) -> str | None:
    found = re.search(r'href="([^"]*max_id=\d+[^"]*)"[^>]*>Older posts', html)
    return unescape(found.group(1)) if found else None


def all_pages(client: CommittingClient, url: str) -> list[list[str]]:
    pages: list[list[str]] = []
    next_url: str | None = url
    while next_url is not None:
        html = page_ok(client, next_url)
        pages.append(items(html))
        link = older_link(html)
        next_url = url + link if link and link.startswith("?") else link
    return pages


@pytest.fixture
def people() -> tuple[User, User, User]:
    viewer = UserFactory(display_name="Vera Viewer")
    sharer = UserFactory(display_name="Sam Sharer")
    author = UserFactory(display_name="Alma Author")
    return viewer, sharer, author


def test_a_share_shows_on_the_sharers_profile_with_who_shared_and_who_wrote(client_for, people):
    viewer, sharer, author = people
    share(sharer, publish(author, "a thought worth passing on"))
    html = page_ok(client_for(viewer), f"/@{sharer.username}")
    listed = profile_list(html)
    assert "Sam Sharer shared" in listed
    assert "a thought worth passing on" in listed
    assert "Alma Author" in listed
    assert "Nothing to see yet" not in html


def test_posts_and_shares_come_newest_first_each_at_its_own_time(client_for, people):
    viewer, sharer, author = people
    old = publish(author, "item 1 written long ago")
    publish(sharer, "item 2 own")
    share(sharer, old)  # shared after item 2 was written: shows above it
    publish(sharer, "item 3 own")
    share(sharer, publish(author, "item 4 by the author"))
    html = page_ok(client_for(viewer), f"/@{sharer.username}")
    assert items(html) == ["item 4", "item 3", "item 1", "item 2"]


def test_older_pages_run_through_posts_and_shares_without_gaps_or_repeats(client_for, people):
    viewer, sharer, author = people
    for n in range(1, 46):
        if n % 3:
            publish(sharer, f"item {n} own")
        else:
            share(sharer, publish(author, f"item {n} shared"))
    pages = all_pages(client_for(viewer), f"/@{sharer.username}")
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [i for page in pages for i in page] == [f"item {n}" for n in range(45, 0, -1)]


def test_pinned_posts_stay_first_and_shares_follow_in_time(client_for, people):
    viewer, sharer, author = people
    pinned = publish(sharer, "item 1 pinned")
    post_pin(post=pinned, actor=sharer)
    share(sharer, publish(author, "item 2 shared"))
    html = page_ok(client_for(viewer), f"/@{sharer.username}")
    assert html.index("item 1 pinned") < html.index("item 2 shared")
    assert items(html) == ["item 2"]


def test_a_share_of_a_post_whose_author_blocked_the_viewer_does_not_show(client_for, people):
    viewer, sharer, author = people
    share(sharer, publish(author, "item 1 from the author"))
    publish(sharer, "item 2 own")
    with committed():
        block_create(blocker=author, blocked=viewer)
    assert items(page_ok(client_for(viewer), f"/@{sharer.username}")) == ["item 2"]
    # Others still see the share.
    other = UserFactory()
    assert items(page_ok(client_for(other), f"/@{sharer.username}")) == ["item 2", "item 1"]


def test_a_viewer_who_blocks_the_sharer_sees_none_of_their_shares(client_for, people):
    viewer, sharer, author = people
    share(sharer, publish(author, "item 1 from the author"))
    with committed():
        block_create(blocker=viewer, blocked=sharer)
    assert "item 1" not in page_ok(client_for(viewer), f"/@{sharer.username}")


def test_a_share_of_a_post_that_is_not_public_never_shows(client_for, people):
    viewer, sharer, author = people
    follow(viewer, author)
    follow(sharer, author)
    post = publish(author, "item 1 for my followers", audience="followers")
    # Sharing refuses it ...
    assert boosts.boost_refusal(booster=sharer, post=post)
    # ... and a share row that exists anyway (a post no longer public) is not
    # listed, even to a viewer who may read the post itself.
    Boost.objects.create(booster=sharer, post=post)
    publish(sharer, "item 2 own")
    assert items(page_ok(client_for(viewer), f"/@{sharer.username}")) == ["item 2"]


def test_an_unshared_post_leaves_the_profile(client_for, people):
    viewer, sharer, author = people
    post = publish(author, "item 1 passing through")
    share(sharer, post)
    client = client_for(viewer)
    assert items(page_ok(client, f"/@{sharer.username}")) == ["item 1"]
    with committed():
        boosts.boost_remove(booster=sharer, post=post)
    assert "passing through" not in page_ok(client, f"/@{sharer.username}")


def test_signed_out_readers_see_public_shares(client_for, people):
    _, sharer, author = people
    share(sharer, publish(author, "item 1 for anyone"))
    publish(sharer, "item 2 followers only", audience="followers")
    html = page_ok(client_for(None), f"/@{sharer.username}")
    assert items(html) == ["item 1"]
    assert "Sam Sharer shared" in profile_list(html)


def test_one_sees_ones_own_shares_as_you_shared(client_for, people):
    _, sharer, author = people
    share(sharer, publish(author, "item 1 noted"))
    assert "You shared" in profile_list(page_ok(client_for(sharer), f"/@{sharer.username}"))


def _queries(client: CommittingClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page_ok(client, url)
    return len(ctx.captured_queries)


def test_a_profile_page_costs_the_same_queries_whatever_it_holds(client_for, people):
    viewer, sharer, author = people
    client = client_for(viewer)
    url = f"/@{sharer.username}"

    def add(n: int) -> None:
        for i in range(n):
            if i % 2:
                publish(sharer, f"own {i}")
            else:
                share(sharer, publish(author if i % 4 else UserFactory(), f"shared {i}"))

    add(5)
    page_ok(client, url)  # warm per-process caches (URL patterns, templates)
    few = _queries(client, url)
    add(10)
    many = _queries(client, url)
    assert few == many


def test_shares_of_posts_by_someone_the_viewer_mutes_stay_out_as_at_home(client_for, people):
    viewer, sharer, author = people
    share(sharer, publish(author, "item 1 muted author"))
    publish(sharer, "item 2 own")
    with committed():
        mute_create(muter=viewer, muted=author)
    assert items(page_ok(client_for(viewer), f"/@{sharer.username}")) == ["item 2"]
