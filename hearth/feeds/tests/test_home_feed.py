"""The home feed that ends, and notifications, as the person reading them sees them.

A "visit" is a fresh session: within one visit the caught-up line stays where
it was when the visit began, so a reload does not make posts vanish.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from hearth.accounts.services import block_create, follow_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import committed
from hearth.core.testing import page_ok as page
from hearth.core.testing import page_text as text
from hearth.feeds import tasks
from hearth.feeds.models import Notification
from hearth.posts.models import Audience
from hearth.posts.services import reaction_set
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

CAUGHT_UP = "You're all caught up"


def feed_of(html: str) -> str:
    """The list of posts on a home page (empty if there is none)."""
    found = re.search(r'<ol class="feed" aria-label="Home feed">(.*?)</ol>', html, re.S)
    return found.group(1) if found else ""


def more_link(html: str) -> str | None:
    found = re.search(r'<nav class="pager" aria-label="More posts">\s*<a [^>]*href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def badge(html: str) -> str | None:
    found = re.search(r'<span class="badge" aria-label="(\d+) unread">', html)
    return found.group(1) if found else None


@pytest.fixture
def reader_and_writer():
    reader, writer = UserFactory(), UserFactory()
    follow(reader, writer)
    return reader, writer


# --- the home feed ---------------------------------------------------------------


def test_home_shows_followed_people_and_own_posts_newest_first(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    stranger = UserFactory()
    publish(writer, "first from writer")
    publish(reader, "my own words")
    publish(stranger, "a stranger speaks")
    publish(writer, "second from writer")

    feed = feed_of(page(client_for(reader), "/home"))
    assert "a stranger speaks" not in feed
    order = [feed.index(t) for t in ("second from writer", "my own words", "first from writer")]
    assert order == sorted(order)


def test_empty_feed_invites_to_follow(client_for):
    html = page(client_for(UserFactory()), "/home")
    assert "Your feed is quiet" in html
    assert CAUGHT_UP in html


def test_caught_up_after_seeing_everything_new(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    publish(writer, "news one")
    publish(writer, "news two")

    html = page(client_for(reader), "/home")
    assert "news one" in feed_of(html)
    assert "news two" in feed_of(html)
    assert CAUGHT_UP in html
    assert "You've seen everything new since your last visit." in html


def test_next_visit_with_nothing_new_is_caught_up_and_older_posts_wait_for_a_click(
    client_for, reader_and_writer
):
    reader, writer = reader_and_writer
    publish(writer, "yesterday's news")
    first_visit = client_for(reader)
    assert "yesterday's news" in feed_of(page(first_visit, "/home"))
    # A reload in the same visit keeps what was new.
    assert "yesterday's news" in feed_of(page(first_visit, "/home"))

    html = page(client_for(reader), "/home")
    assert CAUGHT_UP in html
    assert "Nothing new since your last visit." in html
    assert "yesterday's news" not in html
    assert 'href="?older=1"' in html

    older = page(client_for(reader), "/home?older=1")
    assert "Earlier posts" in older
    assert "yesterday's news" in feed_of(older)
    assert CAUGHT_UP not in older


def test_only_what_is_new_shows_on_the_next_visit(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    publish(writer, "old story")
    page(client_for(reader), "/home")
    publish(writer, "new story")

    html = page(client_for(reader), "/home")
    assert "new story" in feed_of(html)
    assert "old story" not in html
    assert CAUGHT_UP in html
    assert "old story" in feed_of(page(client_for(reader), "/home?older=1"))


def test_pagination_with_more_new_posts_link(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    for i in range(25):
        publish(writer, f"post number {i:02d} here")
    c = client_for(reader)

    first = page(c, "/home")
    assert feed_of(first).count('class="post"') == 20
    assert "post number 24 here" in first
    assert "post number 04 here" not in first
    assert CAUGHT_UP not in first
    assert "More new posts" in first
    link = more_link(first)
    assert link is not None
    assert "max_id=" in link
    assert "top=" in link

    # Something new arrives while reading; it waits for the next visit.
    publish(writer, "arrived while reading")
    second = page(c, "/home" + link)
    assert feed_of(second).count('class="post"') == 5
    assert "post number 04 here" in second
    assert "post number 00 here" in second
    assert "post number 05 here" not in second
    assert CAUGHT_UP in second
    assert "More new posts" not in second

    later = page(client_for(reader), "/home")
    assert "arrived while reading" in feed_of(later)
    assert "post number 24 here" not in later


def test_older_posts_are_paginated_too(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    for i in range(25):
        publish(writer, f"post number {i:02d} here")
    page(client_for(reader), "/home")
    page(client_for(reader), "/home" + (more_link(page(client_for(reader), "/home")) or ""))

    c = client_for(reader)
    older = page(c, "/home?older=1")
    assert feed_of(older).count('class="post"') == 20
    link = more_link(older)
    assert link is not None
    assert "older=1" in link
    oldest = page(c, "/home" + link)
    assert "post number 00 here" in feed_of(oldest)
    assert "That's the beginning of your feed." in oldest


def test_muted_authors_are_hidden_from_home(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    other = UserFactory()
    follow(reader, other)
    c = client_for(reader)
    c.post(f"/@{writer.username}/mute")
    publish(writer, "loud opinion")
    publish(other, "gentle note")

    feed = feed_of(page(client_for(reader), "/home"))
    assert "gentle note" in feed
    assert "loud opinion" not in feed
    assert "loud opinion" not in page(client_for(reader), "/home?older=1")


def test_posts_not_meant_for_you_stay_out_of_home(client_for, reader_and_writer):
    reader, writer = reader_and_writer
    publish(writer, "circle secret", audience=Audience.CIRCLE)
    publish(writer, f"note to @{UserFactory().username} only", audience=Audience.MENTIONED)
    publish(writer, "for followers", audience=Audience.FOLLOWERS)
    feed = feed_of(page(client_for(reader), "/home"))
    assert "for followers" in feed
    assert "circle secret" not in feed
    assert "only" not in feed


def test_logged_out_home_goes_to_login(client_for):
    response = client_for(None).get("/home")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


# --- notifications ----------------------------------------------------------------


def notifications_html(client) -> str:
    html = page(client, "/notifications")
    return html.split('<main id="main"', 1)[1]


def test_follow_notification_once_even_if_the_task_runs_twice(client_for):
    alice, bob = UserFactory(), UserFactory()
    f = follow(bob, alice)
    tasks.follow_started.enqueue(f.pk, bob.pk, alice.pk, False)
    tasks.follow_started.enqueue(f.pk, bob.pk, alice.pk, False)
    html = notifications_html(client_for(alice))
    assert html.count("followed you") == 1
    assert bob.name in html


def test_follow_request_notification_once(client_for):
    alice, bob = UserFactory(locked=True), UserFactory()
    f = follow(bob, alice)
    tasks.follow_requested.enqueue(f.pk)
    tasks.follow_requested.enqueue(f.pk)
    html = notifications_html(client_for(alice))
    assert html.count("asked to follow you") == 1
    assert 'href="/follow-requests">Review</a>' in html


def test_reply_notification_once(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Anyone around?")
    reply = publish(bob, "I am, what's up?", in_reply_to=post)
    tasks.fanout_post.enqueue(reply.pk)
    tasks.fanout_post.enqueue(reply.pk)
    html = notifications_html(client_for(alice))
    assert html.count("replied</a> to your post") == 1
    assert "I am, what's up?" in html
    assert f'href="{reply.get_absolute_url()}"' in html


def test_mention_notification_once(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(bob, f"Thinking of you @{alice.username}")
    tasks.fanout_post.enqueue(post.pk)
    tasks.fanout_post.enqueue(post.pk)
    html = notifications_html(client_for(alice))
    assert html.count("mentioned you in") == 1
    assert f'href="{post.get_absolute_url()}"' in html


def test_reply_that_also_mentions_notifies_once(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Anyone around?")
    publish(bob, f"@{alice.username} I am", in_reply_to=post)
    html = notifications_html(client_for(alice))
    assert html.count("replied</a> to your post") == 1
    assert "mentioned you" not in html


def test_reacting_notifies_the_author(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "We adopted a dog!")
    client_for(bob).post(f"/@{alice.username}/{post.pk}/react", {"kind": "celebrate"})
    html = notifications_html(client_for(alice))
    assert html.count("responded") == 1
    assert "Celebrate" in html
    assert bob.name in html


def test_reaction_notification_once_even_if_the_task_runs_twice(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "We adopted a dog!")
    with committed():
        reaction = reaction_set(post=post, user=bob, kind="love")
    tasks.reaction_added.enqueue(reaction.pk)
    tasks.reaction_added.enqueue(reaction.pk)
    html = notifications_html(client_for(alice))
    assert html.count("responded") == 1
    assert "Love" in html


def test_own_actions_do_not_notify(client_for):
    alice = UserFactory()
    post = publish(alice, f"note to self @{alice.username}")
    publish(alice, "and a reply", in_reply_to=post)
    with committed():
        reaction = reaction_set(post=post, user=alice, kind="love")
    tasks.reaction_added.enqueue(reaction.pk)
    assert "No notifications" in notifications_html(client_for(alice))


def test_unread_count_in_the_header_and_mark_as_read(client_for):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)
    follow(carol, alice)
    publish(bob, f"hi @{alice.username}")
    c = client_for(alice)
    assert badge(page(c, "/home")) == "3"
    html = page(c, "/notifications")
    assert badge(html) == "3"
    assert html.count("Unread: ") == 3

    response = c.post("/notifications/read", follow=True)
    assert response.status_code == 200
    html = text(response)
    assert badge(html) is None
    assert "Unread: " not in html
    # Read notifications stay listed.
    assert "followed you" in html
    assert "Mark all as read" not in html
    assert badge(page(c, "/home")) is None


def test_mark_as_read_only_covers_what_was_shown(client_for):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)
    c = client_for(alice)
    html = page(c, "/notifications")
    up_to = re.search(r'name="up_to" value="(\d+)"', html)
    assert up_to is not None
    # Something new arrives after the page was shown.
    follow(carol, alice)
    c.post("/notifications/read", {"up_to": up_to.group(1)})
    html = page(c, "/notifications")
    assert badge(html) == "1"
    assert html.count("Unread: ") == 1


def test_mark_as_read_needs_a_post(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    c = client_for(alice)
    assert c.get("/notifications/read").status_code == 405
    assert badge(page(c, "/notifications")) == "1"


def test_notifications_need_a_login(client_for):
    response = client_for(None).get("/notifications")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_unread_count_leaves_out_what_the_list_hides(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Coffee later?")
    publish(bob, "Sure, 4pm", in_reply_to=post)
    c = client_for(alice)
    assert badge(page(c, "/home")) == "1"

    with committed():
        block_create(blocker=alice, blocked=bob)

    html = page(c, "/notifications")
    assert "Sure, 4pm" not in html
    assert "No notifications" in html
    # The header must not promise something that is not there.
    assert badge(html) is None


def test_no_notification_of_a_post_you_may_not_see(client_for):
    alice, bob = UserFactory(), UserFactory()
    original = publish(alice, "my garden is finally blooming")
    # Bob replies to his followers only, without naming Alice; she does not follow him.
    publish(bob, "between us, it's all weeds", audience=Audience.FOLLOWERS, in_reply_to=original)
    html = notifications_html(client_for(alice))
    assert "all weeds" not in html
    assert "replied" not in html
    assert not Notification.objects.filter(recipient=alice).exists()


def test_a_mention_addresses_the_person_even_in_a_followers_only_post(client_for):
    alice, bob = UserFactory(), UserFactory()
    # As on Mastodon, naming someone shares the post with them.
    publish(bob, f"thank you @{alice.username} for the seedlings", audience=Audience.FOLLOWERS)
    html = notifications_html(client_for(alice))
    assert "mentioned you" in html
    assert "for the seedlings" in html


def test_follow_notification_survives_a_follow_request_accept(client_for):
    alice, bob = UserFactory(locked=True), UserFactory()
    with committed():
        follow_create(follower=bob, followee=alice)
    client_for(alice).post("/follow-requests", {"follower": bob.pk, "decision": "accept"})
    html = notifications_html(client_for(alice))
    assert html.count("asked to follow you") == 1
    assert html.count("followed you") == 1
    assert "accepted your follow request" in notifications_html(client_for(bob))


def test_a_page_hidden_entirely_by_a_filter_still_moves_the_caught_up_line(client_for):
    from hearth.feeds.selectors import feed_marker
    from hearth.kindness.models import KeywordFilter

    me, friend = UserFactory(), UserFactory()
    follow(me, friend)
    newest = [publish(friend, f"match day spoiler number {i}") for i in range(3)][-1]
    KeywordFilter.objects.create(owner=me, phrase="spoiler", action=KeywordFilter.Action.HIDE)
    html = unescape(client_for(me).get("/home").content.decode())
    assert "spoiler" not in html
    assert "You're all caught up" in html
    assert feed_marker(user=me) == newest.pk
