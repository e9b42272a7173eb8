"""Fan-out on write, straight against the database (one INSERT ... SELECT)."""

from __future__ import annotations

import pytest

from hearth.accounts.models import Follow
from hearth.accounts.services import circle_add
from hearth.accounts.tests.factories import UserFactory
from hearth.feeds.models import FeedEntry
from hearth.feeds.services import feed_fanout
from hearth.posts.models import Audience, Post

pytestmark = pytest.mark.django_db


def owners(post: Post) -> set[int]:
    return set(FeedEntry.objects.filter(post=post).values_list("owner_id", flat=True))


@pytest.fixture
def author_with_followers():
    author = UserFactory()
    followers = UserFactory.create_batch(5)
    Follow.objects.bulk_create([Follow(follower=f, followee=author) for f in followers])
    pending = UserFactory()
    Follow.objects.create(follower=pending, followee=author, state=Follow.State.PENDING)
    return author, followers


def raw_post(author, audience=Audience.PUBLIC) -> Post:
    # Without the service, so its own fan-out does not run first.
    return Post.objects.create(author=author, text="hi", html="<p>hi</p>", audience=audience)


def test_fanout_reaches_author_and_accepted_followers_once(author_with_followers):
    author, followers = author_with_followers
    post = raw_post(author)
    assert feed_fanout(post_id=post.pk) == 6
    assert owners(post) == {author.pk, *(f.pk for f in followers)}
    # A repeated delivery of the same task adds nothing.
    assert feed_fanout(post_id=post.pk) == 0
    assert FeedEntry.objects.filter(post=post).count() == 6


def test_fanout_of_a_circle_post_reaches_only_circle_followers(author_with_followers):
    author, followers = author_with_followers
    circle_add(owner=author, member=followers[0])
    post = raw_post(author, Audience.CIRCLE)
    assert feed_fanout(post_id=post.pk) == 2
    assert owners(post) == {author.pk, followers[0].pk}


def test_a_deleted_post_is_not_fanned_out(author_with_followers):
    author, _ = author_with_followers
    post = raw_post(author)
    Post.objects.filter(pk=post.pk).update(deleted_at="2026-01-01T00:00:00Z")
    assert feed_fanout(post_id=post.pk) == 0
    assert owners(post) == set()
