"""Sharing (boosts): who may share what, and the Share button on the pages."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.test import Client

from hearth.accounts.models import User
from hearth.accounts.services import block_create, circle_add
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.communities.models import Community
from hearth.communities.services import community_create, post_remove
from hearth.conftest import committed
from hearth.core.testing import page_ok
from hearth.feeds.models import BoostEntry, Notification
from hearth.posts import boosts
from hearth.posts.models import Audience, Boost, Post
from hearth.posts.selectors import post_get_visible
from hearth.posts.services import PostError, post_delete
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def share(booster: User, post: Post) -> Boost:
    """Share through the real service, delivering its events as a committed request would."""
    with committed():
        visible = post_get_visible(viewer=booster, post_id=post.pk)
        return boosts.boost_create(booster=booster, post=visible)


def unshare(booster: User, post: Post) -> bool:
    with committed():
        return boosts.boost_remove(booster=booster, post=post)


def community(owner: User, slug: str, visibility: str) -> Community:
    return community_create(
        creator=owner,
        name=slug.title(),
        slug=slug,
        description="A place to talk.",
        who_for="Anyone",
        visibility=visibility,
        rules=["Be kind."],
    )


# --- who may share what ------------------------------------------------------------


def test_a_public_post_is_shared_once_however_often_one_asks():
    author, booster = UserFactory(), UserFactory()
    post = publish(author, "Worth passing on")
    first = share(booster, post)
    again = share(booster, post)
    assert again.pk == first.pk
    assert Boost.objects.filter(post=post).count() == 1
    # The author is told once.
    told = Notification.objects.filter(recipient=author, kind=Notification.Kind.REBLOG)
    assert [(n.actor_id, n.post_id) for n in told] == [(booster.pk, post.pk)]


def test_sharing_ones_own_post_is_allowed_and_tells_nobody():
    author = UserFactory()
    post = publish(author, "My own news")
    share(author, post)
    assert Boost.objects.filter(booster=author, post=post).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.REBLOG).exists()


@pytest.mark.parametrize(
    "audience", [Audience.FOLLOWERS, Audience.CIRCLE, Audience.MENTIONED], ids=str
)
def test_only_public_posts_can_be_shared(audience):
    author, booster = UserFactory(), UserFactory()
    follow(booster, author)
    with committed():
        circle_add(owner=author, member=booster)
    post = publish(author, f"@{booster.username} just for some", audience=audience)
    with pytest.raises(PostError, match="Only public posts"):
        share(booster, post)
    assert not Boost.objects.exists()


def test_a_supporters_only_request_cannot_be_shared():
    author, booster = UserFactory(), UserFactory()
    post = publish(author, "Hard week")
    Post.objects.filter(pk=post.pk).update(audience=Audience.SUPPORTERS)
    post.refresh_from_db()
    assert "Only public posts" in boosts.boost_refusal(booster=booster, post=post)


def test_a_private_communitys_posts_stay_inside_it_but_a_public_ones_may_be_shared():
    owner = UserFactory()
    private = community(owner, "quiet-room", Community.Visibility.PRIVATE)
    public = community(owner, "open-garden", Community.Visibility.PUBLIC)
    inside = publish(owner, "Members only", community_id=private.pk)
    outside = publish(owner, "Everyone welcome", community_id=public.pk)
    with pytest.raises(PostError, match="private community"):
        share(owner, inside)
    share(owner, outside)
    assert list(Boost.objects.values_list("post_id", flat=True)) == [outside.pk]


def test_a_removed_or_deleted_post_cannot_be_shared():
    author, booster = UserFactory(), UserFactory()
    post = publish(author, "Soon gone")
    with committed():
        post_delete(post=post, actor=author)
    post.refresh_from_db()
    assert boosts.boost_refusal(booster=booster, post=post) == "That post has been deleted."
    owner = UserFactory()
    place = community(owner, "garden", Community.Visibility.PUBLIC)
    removed = publish(owner, "Off topic", community_id=place.pk)
    with committed():
        post_remove(community=place, moderator=owner, post=removed, reason="Off topic")
    removed.refresh_from_db()
    assert "removed" in boosts.boost_refusal(booster=booster, post=removed)


@pytest.mark.parametrize("who_blocks", ["author", "booster"])
def test_a_block_either_way_forbids_sharing(who_blocks):
    author, booster = UserFactory(), UserFactory()
    post = publish(author, "Public words")
    with committed():
        if who_blocks == "author":
            block_create(blocker=author, blocked=booster)
        else:
            block_create(blocker=booster, blocked=author)
    assert boosts.boost_refusal(booster=booster, post=post) == "You can't share this post."
    with pytest.raises(PostError), committed():
        boosts.boost_create(booster=booster, post=post)


def test_a_block_takes_back_the_shares_made_before_it():
    author, booster, reader = UserFactory(), UserFactory(), UserFactory()
    follow(reader, booster)
    post = publish(author, "Shared, then a block")
    share(booster, post)
    assert BoostEntry.objects.filter(owner=reader, post=post).exists()
    with committed():
        block_create(blocker=author, blocked=booster)
    assert not Boost.objects.exists()
    assert not BoostEntry.objects.exists()


def test_taking_a_share_back_is_idempotent_and_takes_it_out_of_feeds():
    author, booster, reader = UserFactory(), UserFactory(), UserFactory()
    follow(reader, booster)
    post = publish(author, "Passing it on")
    share(booster, post)
    assert BoostEntry.objects.filter(owner=reader).count() == 1
    assert unshare(booster, post) is True
    assert unshare(booster, post) is False
    assert not Boost.objects.exists()
    assert not BoostEntry.objects.exists()
    # Sharing again does not tell the author a second time.
    share(booster, post)
    assert Notification.objects.filter(kind=Notification.Kind.REBLOG).count() == 1


def test_deleting_the_post_forgets_its_shares():
    author, booster, reader = UserFactory(), UserFactory(), UserFactory()
    follow(reader, booster)
    post = publish(author, "Here today")
    share(booster, post)
    with committed():
        post_delete(post=Post.objects.get(pk=post.pk), actor=author)
    assert not Boost.objects.exists()
    assert not BoostEntry.objects.exists()


def test_a_share_is_read_only_through_the_post_it_holds():
    author, booster, stranger = UserFactory(), UserFactory(), UserFactory()
    post = publish(author, "Read me")
    boost = share(booster, post)
    shown = boosts.boost_get_visible(viewer=stranger, boost_id=boost.pk)
    assert shown.pk == post.pk
    assert boosts.shared_boost(shown) == boost
    with committed():
        block_create(blocker=author, blocked=stranger)
    with pytest.raises(Http404):
        boosts.boost_get_visible(viewer=stranger, boost_id=boost.pk)
    with pytest.raises(Http404):
        boosts.boost_get_visible(viewer=stranger, boost_id=boost.pk + 1)


def test_who_shared_and_how_often_are_the_authors_alone():
    author, one, two, other = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    post = publish(author, "Popular, quietly")
    share(one, post)
    share(two, post)
    assert [b.booster_id for b in boosts.boosts_for_author(viewer=author, post=post)] == [
        two.pk,
        one.pk,
    ]
    assert list(boosts.boosts_for_author(viewer=other, post=post)) == []
    assert list(boosts.boosts_for_author(viewer=None, post=post)) == []
    assert boosts.boost_counts_for_author(viewer=author, post_ids=[post.pk]) == {post.pk: 2}
    assert boosts.boost_counts_for_author(viewer=other, post_ids=[post.pk]) == {}


# --- the Share button --------------------------------------------------------------


def share_form(html: str, post: Post) -> str:
    card = html.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    found = re.search(r'<form class="inline-form share-form".*?</form>', card, re.S)
    return found.group(0) if found else ""


def test_the_share_button_is_on_public_posts_only(client_for):
    author, reader = UserFactory(), UserFactory()
    follow(reader, author)
    public = publish(author, "For everyone")
    followers = publish(author, "For followers", audience=Audience.FOLLOWERS)
    html = page_ok(client_for(reader), f"/@{author.username}")
    form = share_form(html, public)
    assert form
    assert 'aria-pressed="false"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f"Share this post by {author.name}" in form
    assert share_form(html, followers) == ""
    # Nobody logged out is offered it.
    assert share_form(page_ok(client_for(None), f"/@{author.username}"), public) == ""


def test_share_and_take_back_without_javascript(client_for):
    author, reader = UserFactory(), UserFactory()
    post = publish(author, "Pass it on")
    client = client_for(reader)
    url = f"/@{author.username}/{post.pk}/share"
    back = f"/@{author.username}"
    response = client.post(url, {"shared": "1", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert Boost.objects.filter(booster=reader, post=post).exists()
    html = page_ok(client, back)
    assert "Shared with your followers." in html
    assert 'aria-pressed="true"' in share_form(html, post)
    # A second "share" (a double click) changes nothing; "take back" does.
    client.post(url, {"shared": "1", "next": back})
    assert Boost.objects.filter(booster=reader, post=post).count() == 1
    client.post(url, {"shared": "0", "next": back})
    assert not Boost.objects.exists()
    assert 'aria-pressed="false"' in share_form(page_ok(client, back), post)


def test_htmx_gets_the_button_back(client_for):
    author, reader = UserFactory(), UserFactory()
    post = publish(author, "Pass it on")
    response = client_for(reader).post(
        f"/@{author.username}/{post.pk}/share", {"shared": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="inline-form share-form"' in html
    assert 'aria-pressed="true"' in html
    assert 'name="shared" value="0"' in html


def test_sharing_needs_a_post_request_a_login_and_the_csrf_token():
    author, reader = UserFactory(), UserFactory()
    post = publish(author, "Pass it on")
    url = f"/@{author.username}/{post.pk}/share"
    anonymous = Client()
    assert anonymous.post(url, {"shared": "1"}).status_code == 302  # to the login page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post(url, {"shared": "1"}).status_code == 403
    assert strict.get(url).status_code == 405
    assert not Boost.objects.exists()


def test_a_post_that_may_not_be_shared_is_refused_and_a_hidden_one_is_not_found(client_for):
    author, reader, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(reader, author)
    followers = publish(author, "For followers", audience=Audience.FOLLOWERS)
    url = f"/@{author.username}/{followers.pk}/share"
    assert client_for(reader).post(url, {"shared": "1"}).status_code == 403
    assert client_for(stranger).post(url, {"shared": "1"}).status_code == 404
    assert not Boost.objects.exists()


def test_only_the_author_sees_who_shared_on_the_post_page(client_for):
    author, booster, other = UserFactory(), UserFactory(), UserFactory()
    post = publish(author, "Pass it on")
    share(booster, post)
    url = f"/@{author.username}/{post.pk}"
    own = page_ok(client_for(author), url)
    assert booster.name in own.split("Shared with their followers by")[1]
    assert "Shared with their followers by" not in page_ok(client_for(other), url)
