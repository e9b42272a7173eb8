"""Saving posts to read later, and pinning one's own posts to one's profile, through the pages."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.services import follow_delete
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import committed
from hearth.core.testing import page_text as text
from hearth.posts import bookmarks, pins
from hearth.posts.models import Audience, Bookmark
from hearth.posts.services import PostError
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def test_save_a_post_and_find_it_on_the_saved_page(client_for: Any) -> None:
    author, reader = UserFactory(username="writer"), UserFactory()
    post = publish(author, "A recipe worth keeping")
    client = client_for(reader)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'action="/@writer/{post.pk}/save"' in page
    empty = client.get("/saved")
    assert empty.status_code == 200
    assert "Nothing saved yet" in text(empty)
    answer = client.post(f"/@writer/{post.pk}/save", {"saved": "1", "next": "/saved"})
    assert answer.status_code == 302
    saved = client.get("/saved").content.decode()
    assert "A recipe worth keeping" in saved
    assert "Unsave" in saved
    # Nobody else sees it: the author's own saved page is empty.
    assert "A recipe worth keeping" not in client_for(author).get("/saved").content.decode()
    client.post(f"/@writer/{post.pk}/save", {"saved": "0"})
    assert "A recipe worth keeping" not in client.get("/saved").content.decode()


def test_save_answers_htmx_with_the_button(client_for: Any) -> None:
    author, reader = UserFactory(username="writer"), UserFactory()
    post = publish(author, "Keep me")
    answer = client_for(reader).post(
        f"/@writer/{post.pk}/save", {"saved": "1"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    assert "Unsave" in answer.content.decode()
    assert "<html" not in answer.content.decode()


def test_saved_page_needs_a_login_and_pages(client_for: Any, settings: Any) -> None:
    assert client_for(None).get("/saved").status_code == 302
    author, reader = UserFactory(), UserFactory()
    posts = [publish(author, f"Saved number {i:02d}") for i in range(22)]
    for post in posts:
        bookmarks.bookmark_add(user=reader, post=post)
    first = text(client_for(reader).get("/saved"))
    assert "Saved number 21" in first and "Saved number 01" not in first
    assert "Older posts" in first
    # The pages follow the bookmarks, the most recently saved first.
    twentieth = Bookmark.objects.filter(user=reader).order_by("-id").values_list("id", flat=True)
    second = text(client_for(reader).get(f"/saved?max_id={twentieth[19]}"))
    assert "Saved number 01" in second and "Saved number 00" in second
    assert "Saved number 21" not in second


def test_a_saved_post_that_becomes_hidden_leaves_the_page(client_for: Any) -> None:
    author, reader = UserFactory(username="writer"), UserFactory()
    follow(reader, author)
    post = publish(author, "Only for followers", audience=Audience.FOLLOWERS)
    client = client_for(reader)
    client.post(f"/@writer/{post.pk}/save", {"saved": "1"})
    assert "Only for followers" in client.get("/saved").content.decode()
    with committed():
        follow_delete(follower=reader, followee=author)
    assert "Only for followers" not in client.get("/saved").content.decode()
    # Nor can one save what one cannot see.
    assert client.post(f"/@writer/{post.pk}/save", {"saved": "1"}).status_code == 404


def test_pinned_posts_come_first_on_the_profile(client_for: Any) -> None:
    author = UserFactory(username="writer")
    intro = publish(author, "Hello, I'm new here")
    later = publish(author, "Today's garden news")
    client = client_for(author)
    page = client.get("/@writer").content.decode()
    assert f'action="/@writer/{intro.pk}/pin"' in page
    assert client.post(f"/@writer/{intro.pk}/pin", {"pinned": "1"}).status_code == 302
    for viewer in (author, UserFactory(), None):
        html = text(client_for(viewer).get("/@writer"))
        assert html.index("Hello, I'm new here") < html.index("Today's garden news")
        assert "Pinned" in html
        # Shown once, not again in the list below.
        assert html.count(f'id="post-{intro.pk}"') == 1
    # Only the owner gets the buttons.
    assert "/pin" not in client_for(UserFactory()).get("/@writer").content.decode()
    assert "Unpin" in client.get("/@writer").content.decode()
    client.post(f"/@writer/{intro.pk}/pin", {"pinned": "0"})
    html = text(client.get("/@writer"))
    assert html.index("Today's garden news") < html.index("Hello, I'm new here")
    assert later.pk


def test_pinning_someone_elses_post_is_not_found(client_for: Any) -> None:
    author = UserFactory(username="writer")
    post = publish(author, "Mine")
    answer = client_for(UserFactory()).post(f"/@writer/{post.pk}/pin", {"pinned": "1"})
    assert answer.status_code == 404


def test_the_pin_limit_is_explained(client_for: Any) -> None:
    author = UserFactory(username="writer")
    posts = [publish(author, f"Post {i}") for i in range(6)]
    for post in posts[:5]:
        pins.post_pin(post=post, actor=author)
    with pytest.raises(PostError):
        pins.post_pin(post=posts[5], actor=author)
    answer = client_for(author).post(f"/@writer/{posts[5].pk}/pin", {"pinned": "1"}, follow=True)
    assert "You can pin up to 5 posts" in text(answer)
