"""Shares in home feeds: where they show, once, and never what the reader may not see."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.models import User
from hearth.accounts.services import block_create, follow_delete, mute_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.communities.models import Community
from hearth.communities.services import community_create, post_remove
from hearth.conftest import committed
from hearth.core.testing import page_ok
from hearth.feeds.models import BoostEntry
from hearth.feeds.selectors import Window, home_feed, home_timeline
from hearth.posts import boosts
from hearth.posts.models import Boost, Post
from hearth.posts.services import post_delete
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def share(booster: User, post: Post) -> Boost:
    with committed():
        return boosts.boost_create(booster=booster, post=Post.objects.get(pk=post.pk))


def feed_of(html: str) -> str:
    found = re.search(r'<ol class="feed" aria-label="Home feed">(.*?)</ol>', html, re.S)
    return unescape(found.group(1)) if found else ""


def shared_line(html: str, post: Post) -> str:
    """The "… shared" line above a post card, as text ("" if there is none)."""
    card = html.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    found = re.search(r'<p class="post__shared[^"]*"[^>]*>(.*?)</p>', card, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def shown(viewer: User) -> list[tuple[int, int | None]]:
    """(post, sharer or None) for every post of the viewer's first home page."""
    page = home_feed(viewer=viewer, max_id=None, older=False, line=0, limit=40)
    out = []
    for post in page.posts:
        boost = boosts.shared_boost(post)
        out.append((post.pk, boost.booster_id if boost else None))
    return out


@pytest.fixture
def people():
    reader, booster, author = UserFactory(), UserFactory(), UserFactory()
    follow(reader, booster)
    return reader, booster, author


# --- where a share shows ------------------------------------------------------------


def test_a_share_shows_once_at_the_time_it_was_made_with_who_shared_it(client_for, people):
    reader, booster, author = people
    old = publish(author, "an older thought worth passing on")
    recent = publish(booster, "the booster's own news")
    share(booster, old)

    assert shown(reader) == [(old.pk, booster.pk), (recent.pk, None)]
    html = page_ok(client_for(reader), "/home")
    feed = feed_of(html)
    assert feed.count("an older thought worth passing on") == 1
    assert feed.index("an older thought") < feed.index("the booster's own news")
    line = shared_line(html, old)
    assert line.startswith(f"↻ {booster.name} shared")
    assert shared_line(html, recent) == ""
    # Screen readers hear who shared before whose post it is.
    assert f'aria-labelledby="post-{old.pk}-shared post-{old.pk}-by"' in html


def test_the_booster_sees_their_own_share(client_for, people):
    _, booster, author = people
    post = publish(author, "worth it")
    share(booster, post)
    assert shown(booster) == [(post.pk, booster.pk)]
    assert shared_line(page_ok(client_for(booster), "/home"), post).startswith("↻ You shared")


def test_a_post_already_in_the_feed_is_not_shown_again(people):
    reader, booster, author = people
    follow(reader, author)
    post = publish(author, "seen it already")
    share(booster, post)
    assert shown(reader) == [(post.pk, None)]
    assert not BoostEntry.objects.filter(owner=reader).exists()


def test_the_first_share_of_a_post_is_the_one_shown(people):
    reader, booster, author = people
    second = UserFactory()
    follow(reader, second)
    post = publish(author, "shared twice")
    share(booster, post)
    share(second, post)
    assert shown(reader) == [(post.pk, booster.pk)]


def test_following_the_author_after_a_share_shows_the_post_once_in_its_own_place(people):
    reader, booster, author = people
    post = publish(author, "first seen shared")
    later = publish(booster, "a later post")
    share(booster, post)
    follow(reader, author)
    assert shown(reader) == [(later.pk, None), (post.pk, None)]


def test_following_someone_brings_their_recent_shares(people):
    _, booster, author = people
    newcomer = UserFactory()
    post = publish(author, "shared before you came")
    share(booster, post)
    follow(newcomer, booster)
    assert shown(newcomer) == [(post.pk, booster.pk)]


def test_unfollowing_the_booster_takes_their_shares_away(people):
    reader, booster, author = people
    post = publish(author, "shared")
    share(booster, post)
    with committed():
        follow_delete(follower=reader, followee=booster)
    assert shown(reader) == []
    assert not BoostEntry.objects.filter(owner=reader).exists()


def test_taking_a_share_back_takes_it_out_of_the_feed(people):
    reader, booster, author = people
    post = publish(author, "briefly shared")
    share(booster, post)
    with committed():
        boosts.boost_remove(booster=booster, post=post)
    assert shown(reader) == []


def test_the_author_is_told_who_shared_their_post(client_for, people):
    _, booster, author = people
    post = publish(author, "a small win")
    share(booster, post)
    html = unescape(page_ok(client_for(author), "/notifications"))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert f"{booster.name} shared your post with their followers" in text
    assert "a small win" in text


# --- never what the reader may not see --------------------------------------------


def test_a_share_of_a_post_whose_author_blocks_the_reader_never_shows(people):
    reader, booster, author = people
    with committed():
        block_create(blocker=author, blocked=reader)
    post = publish(author, "not for the reader")
    share(booster, post)
    assert BoostEntry.objects.filter(owner=reader).exists()  # written, but never shown
    assert shown(reader) == []
    assert home_timeline(viewer=reader, window=Window()).items == []


def test_a_share_hides_when_the_reader_blocks_the_author_later(people):
    reader, booster, author = people
    post = publish(author, "shared, then blocked")
    share(booster, post)
    with committed():
        block_create(blocker=reader, blocked=author)
    assert shown(reader) == []


def test_muting_the_booster_or_the_author_hides_the_share(people):
    reader, booster, author = people
    post = publish(author, "muted somehow")
    share(booster, post)
    with committed():
        mute_create(muter=reader, muted=author)
    assert shown(reader) == []
    other_reader = UserFactory()
    follow(other_reader, booster)
    share(booster, publish(author, "another"))
    with committed():
        mute_create(muter=other_reader, muted=booster)
    assert shown(other_reader) == []


def test_a_deleted_or_removed_post_leaves_the_feed(people):
    reader, booster, author = people
    doomed = publish(author, "to be deleted")
    share(booster, doomed)
    with committed():
        post_delete(post=Post.objects.get(pk=doomed.pk), actor=author)
    assert shown(reader) == []

    place = community_create(
        creator=author,
        name="Garden",
        slug="garden",
        description="Plants.",
        who_for="Gardeners",
        visibility=Community.Visibility.PUBLIC,
        rules=["Be kind."],
    )
    removed = publish(author, "off topic", community_id=place.pk)
    share(booster, removed)
    assert shown(reader) == [(removed.pk, booster.pk)]
    with committed():
        post_remove(community=place, moderator=author, post=removed, reason="Off topic")
    assert shown(reader) == []


# --- pages, the caught-up line, and the cost of a read --------------------------------


def test_pages_hold_posts_and_shares_in_time_order_without_gaps_or_repeats(people):
    reader, booster, author = people
    expected: list[tuple[int, int | None]] = []
    for i in range(9):
        own = publish(booster, f"own {i}")
        expected.append((own.pk, None))
        other = publish(author, f"shared {i}")
        share(booster, other)
        expected.append((other.pk, booster.pk))
    expected.reverse()  # newest first: each share came after the post before it

    seen: list[tuple[int, int | None]] = []
    max_id = None
    while True:
        page = home_feed(viewer=reader, max_id=max_id, older=False, line=0, limit=4)
        for post in page.posts:
            boost = boosts.shared_boost(post)
            seen.append((post.pk, boost.booster_id if boost else None))
        if page.next_max_id is None:
            assert page.caught_up
            break
        max_id = page.next_max_id
    assert seen == expected


def test_the_api_window_reads_shares_upwards_and_downwards(people):
    reader, booster, author = people
    keys = []
    for i in range(4):
        keys.append(publish(booster, f"own {i}").pk)
        keys.append(share(booster, publish(author, f"shared {i}")).pk)
    keys.reverse()
    newest = home_timeline(viewer=reader, window=Window(limit=3))
    assert (newest.newest_id, newest.oldest_id) == (keys[0], keys[2])
    older = home_timeline(viewer=reader, window=Window(max_id=keys[2], limit=3))
    assert (older.newest_id, older.oldest_id) == (keys[3], keys[5])
    # min_id: the ones just after it, newest first.
    after = home_timeline(viewer=reader, window=Window(min_id=keys[6], limit=3))
    assert (after.newest_id, after.oldest_id) == (keys[3], keys[5])
    assert [boosts.shared_boost(p) is not None for p in after.items] == [False, True, False]


def test_a_share_of_an_old_post_counts_as_new_after_the_caught_up_line(client_for, people):
    reader, booster, author = people
    old = publish(author, "from long ago")
    publish(booster, "already read")
    page_ok(client_for(reader), "/home")  # the visit that reaches the end moves the line
    share(booster, old)
    html = page_ok(client_for(reader), "/home")
    feed = feed_of(html)
    assert "from long ago" in feed
    assert "already read" not in feed
    assert "You're all caught up" in html


def _queries(viewer: User) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = home_feed(viewer=viewer, max_id=None, older=False, line=0)
        assert page.posts
    return len(ctx.captured_queries)


def test_a_home_page_costs_the_same_few_queries_whatever_it_holds(people):
    reader, booster, author = people
    share(booster, publish(author, "one shared"))
    publish(booster, "one own")
    few = _queries(reader)
    for i in range(12):
        publish(booster, f"own {i}")
        share(booster, publish(author if i % 2 else UserFactory(), f"shared {i}"))
    many = _queries(reader)
    assert few == many
    # The line is given, so no marker read: direct entries, shares (with
    # their boosters), the audience check, the posts, their photos, the
    # viewer's reactions, their bookmarks, and the keyword filters. Shares
    # cost one query of their own, whatever their number.
    assert many <= 8, many
