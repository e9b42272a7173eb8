"""Unlisted ("Public, but not in timelines") on the web and in the domain.

Readable by anyone with the link and by the same rules as a public post,
never listed in a public place: tag pages, hashtag search, public streams,
communities' public listings. Not shareable (Hearth's rule, unlike
Mastodon's), pinnable. The full who-sees-what matrix is in
hearth/feeds/tests/test_audience_table.py; the API's listings in
hearth/api/tests/test_unlisted.py.
"""

from __future__ import annotations

import pytest

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.communities.services import community_create
from hearth.core.testing import page_text
from hearth.feeds.live import _public_place
from hearth.posts import boosts, pins
from hearth.posts.models import Audience, Boost, Post
from hearth.posts.selectors import tags_search
from hearth.posts.services import PostError
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

LABEL = "Public, but not in timelines"


def test_the_composer_offers_it_and_posts_with_it(client_for):
    alice = UserFactory()
    client = client_for(alice)
    page = client.get("/posts/new")
    assert LABEL in page.content.decode()
    assert 'value="unlisted"' in page.content.decode()
    sent = client.post("/posts/new", {"text": "Quiet hello", "audience": "unlisted", "tone": ""})
    assert sent.status_code == 302
    post = Post.objects.get()
    assert post.audience == Audience.UNLISTED
    # Signed out, the post's own page reads it, labelled as what it is.
    shown = client_for(None).get(f"/@{alice.username}/{post.pk}")
    assert shown.status_code == 200
    assert "Quiet hello" in page_text(shown)
    assert LABEL in page_text(shown)
    assert shown["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in client_for(None).get(f"/@{alice.username}/{publish(alice).pk}")


def test_a_reply_to_an_unlisted_post_starts_unlisted(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Quiet", audience=Audience.UNLISTED)
    page = client_for(bob).get(f"/posts/new?in_reply_to={post.pk}")
    assert page.status_code == 200
    assert '<option value="unlisted" selected>' in page.content.decode()


def test_the_tag_page_leaves_it_out(client_for):
    alice = UserFactory()
    publish(alice, "Open words #lantern")
    publish(alice, "Quiet words #lantern", audience=Audience.UNLISTED)
    for viewer in (None, alice):
        text = page_text(client_for(viewer).get("/tags/lantern"))
        assert "Open words" in text
        assert "Quiet words" not in text


def test_hashtag_search_on_the_web_leaves_out_tags_only_unlisted_posts_carry(client_for):
    alice = UserFactory()
    publish(alice, "#lanternopen")
    publish(alice, "#lanternquiet", audience=Audience.UNLISTED)
    assert tags_search(query="lantern", limit=10) == ["lanternopen"]
    text = page_text(client_for(alice).get("/search?q=lantern"))
    assert "lanternopen" in text
    assert "lanternquiet" not in text


def test_public_streams_are_not_told(client_for):
    alice = UserFactory()
    assert _public_place(publish(alice, "Open"))
    assert not _public_place(publish(alice, "Quiet", audience=Audience.UNLISTED))


def test_a_community_post_is_never_unlisted():
    # Communities list their posts publicly (their pages, discovery's
    # community documents): a post there takes the community's audience.
    alice = UserFactory()
    place = community_create(
        creator=alice,
        name="Lanterns",
        slug="lanterns",
        description="Lights",
        who_for="All",
        rules=["Be kind"],
    )
    post = publish(alice, "In the room", audience=Audience.UNLISTED, community_id=place.pk)
    assert post.audience == Audience.PUBLIC


def test_it_cannot_be_shared_and_shows_no_share_button(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    post = publish(alice, "Quiet", audience=Audience.UNLISTED)
    assert not boosts.shareable(post)
    for who in (alice, bob):
        with pytest.raises(PostError, match="kept out of timelines"):
            boosts.boost_create(booster=who, post=post)
        page = client_for(who).get(f"/@{alice.username}/{post.pk}")
        assert "share-form" not in page.content.decode()
    client_for(bob).post(f"/@{alice.username}/{post.pk}/share")
    assert not Boost.objects.exists()


def test_it_can_be_pinned():
    alice = UserFactory()
    post = publish(alice, "Quiet", audience=Audience.UNLISTED)
    assert pins.pinnable(post)
