"""Contract tests for bookmarks and pinned statuses: status codes, scopes, paging, fields."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.posts.models import Audience
from hearth.posts.services import post_delete
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def link_ids(response: Any) -> dict[str, str]:
    """{"next": max_id, "prev": min_id} from a Link header."""
    out = {}
    for part in response["Link"].split(", "):
        url, rel = part.split("; ")
        key = "max_id" if "next" in rel else "min_id"
        out[rel.split('"')[1]] = url.split(f"{key}=")[1].rstrip(">")
    return out


# --- bookmarks -------------------------------------------------------------------


def test_bookmark_and_unbookmark_a_status(api_for: Any) -> None:
    author, reader = UserFactory(), UserFactory()
    post = publish(author, "Worth reading twice")
    client = api_for(reader)
    saved = client.post(f"/api/v1/statuses/{post.pk}/bookmark")
    assert saved.status_code == 200
    assert saved.json()["bookmarked"] is True
    assert saved.json()["id"] == str(post.pk)
    # Twice is fine, and the status says so when read again.
    assert client.post(f"/api/v1/statuses/{post.pk}/bookmark").json()["bookmarked"] is True
    assert client.get(f"/api/v1/statuses/{post.pk}").json()["bookmarked"] is True
    # Private: the author and anyone else see no bookmark.
    assert api_for(author).get(f"/api/v1/statuses/{post.pk}").json()["bookmarked"] is False
    assert ApiClient().get(f"/api/v1/statuses/{post.pk}").json()["bookmarked"] is False
    assert [s["id"] for s in client.get("/api/v1/bookmarks").json()] == [str(post.pk)]
    assert api_for(author).get("/api/v1/bookmarks").json() == []
    gone = client.post(f"/api/v1/statuses/{post.pk}/unbookmark")
    assert gone.status_code == 200
    assert gone.json()["bookmarked"] is False
    assert client.get("/api/v1/bookmarks").json() == []


def test_bookmarks_page_by_when_saved_with_link_headers(api_for: Any) -> None:
    author, reader = UserFactory(), UserFactory()
    posts = [publish(author, f"Post {i}") for i in range(3)]
    client = api_for(reader)
    # Saved in the opposite order of posting: the list follows the saving.
    for post in reversed(posts):
        client.post(f"/api/v1/statuses/{post.pk}/bookmark")
    # Someone else's bookmarks of the same posts change nothing for the reader.
    other = api_for(UserFactory())
    for post in posts:
        other.post(f"/api/v1/statuses/{post.pk}/bookmark")
    assert len(client.get("/api/v1/bookmarks").json()) == 3
    first = client.get("/api/v1/bookmarks?limit=2")
    assert [s["id"] for s in first.json()] == [str(posts[0].pk), str(posts[1].pk)]
    links = link_ids(first)
    # The Link header carries the bookmarks' ids, not the posts'.
    assert links["next"] not in {str(p.pk) for p in posts}
    second = client.get(f"/api/v1/bookmarks?limit=2&max_id={links['next']}")
    assert [s["id"] for s in second.json()] == [str(posts[2].pk)]
    newer = client.get(f"/api/v1/bookmarks?min_id={link_ids(second)['prev']}")
    assert [s["id"] for s in newer.json()] == [str(posts[0].pk), str(posts[1].pk)]


def test_a_bookmark_never_shows_what_its_saver_may_no_longer_read(api_for: Any) -> None:
    author, reader = UserFactory(), UserFactory()
    follow(reader, author)
    private = publish(author, "For followers", audience=Audience.FOLLOWERS)
    deleted = publish(author, "Soon gone")
    client = api_for(reader)
    for post in (private, deleted):
        assert client.post(f"/api/v1/statuses/{post.pk}/bookmark").status_code == 200
    post_delete(post=deleted, actor=author)
    client.post(f"/api/v1/accounts/{author.pk}/unfollow")
    assert client.get("/api/v1/bookmarks").json() == []
    # Nor can a post one may not see be bookmarked: the same 404 as a missing one.
    stranger = api_for(UserFactory())
    assert stranger.post(f"/api/v1/statuses/{private.pk}/bookmark").status_code == 404
    assert stranger.post("/api/v1/statuses/123/bookmark").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "scope_ok", "scope_missing"),
    [
        ("get", "/api/v1/bookmarks", "read:bookmarks", "write:bookmarks"),
        ("post", "/api/v1/statuses/{id}/bookmark", "write:bookmarks", "read"),
        ("post", "/api/v1/statuses/{id}/unbookmark", "write", "read:bookmarks"),
        ("post", "/api/v1/statuses/{id}/pin", "write:accounts", "write:statuses"),
        ("post", "/api/v1/statuses/{id}/unpin", "write", "read"),
    ],
)
def test_scopes(method: str, path: str, scope_ok: str, scope_missing: str) -> None:
    user = UserFactory()
    post = publish(user, "Mine")
    path = path.format(id=post.pk)
    denied = getattr(ApiClient(issue_token(user, scope_missing)), method)(path)
    assert denied.status_code == 403
    assert getattr(ApiClient(issue_token(user, scope_ok)), method)(path).status_code == 200
    assert getattr(ApiClient(), method)(path).status_code == 401


# --- pins ------------------------------------------------------------------------


def test_pin_own_posts_and_list_them_first(api_for: Any) -> None:
    author = UserFactory()
    older = publish(author, "An introduction")
    newer = publish(author, "Latest news")
    client = api_for(author)
    pinned = client.post(f"/api/v1/statuses/{older.pk}/pin")
    assert pinned.status_code == 200
    assert pinned.json()["pinned"] is True
    assert client.get(f"/api/v1/statuses/{newer.pk}").json()["pinned"] is False
    listed = ApiClient().get(f"/api/v1/accounts/{author.pk}/statuses?pinned=true")
    assert [s["id"] for s in listed.json()] == [str(older.pk)]
    # Only the author is told "pinned" (Mastodon shows it to them alone).
    assert listed.json()[0]["pinned"] is False
    # All pins are on the first page: following the paging gets none.
    more = ApiClient().get(f"/api/v1/accounts/{author.pk}/statuses?pinned=true&max_id={older.pk}")
    assert more.json() == []
    unpinned = client.post(f"/api/v1/statuses/{older.pk}/unpin")
    assert unpinned.json()["pinned"] is False
    assert ApiClient().get(f"/api/v1/accounts/{author.pk}/statuses?pinned=true").json() == []


def test_pinned_posts_keep_their_audience(api_for: Any) -> None:
    author, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(follower, author)
    private = publish(author, "For followers", audience=Audience.FOLLOWERS)
    assert api_for(author).post(f"/api/v1/statuses/{private.pk}/pin").status_code == 200
    path = f"/api/v1/accounts/{author.pk}/statuses?pinned=true"
    assert [s["id"] for s in api_for(follower).get(path).json()] == [str(private.pk)]
    assert api_for(stranger).get(path).json() == []
    assert ApiClient().get(path).json() == []


def test_only_own_public_or_followers_posts_up_to_five(api_for: Any) -> None:
    author, other = UserFactory(), UserFactory(username="friend")
    follow(author, other)
    client = api_for(author)
    theirs = publish(other, "Not yours to pin")
    answer = client.post(f"/api/v1/statuses/{theirs.pk}/pin")
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("Validation failed")
    for audience in (Audience.CIRCLE, Audience.MENTIONED):
        narrow = publish(author, "Just for a few @friend", audience=audience)
        answer = client.post(f"/api/v1/statuses/{narrow.pk}/pin")
        assert answer.status_code == 422, audience
    posts = [publish(author, f"Post {i}") for i in range(6)]
    for post in posts[:5]:
        assert client.post(f"/api/v1/statuses/{post.pk}/pin").status_code == 200
    sixth = client.post(f"/api/v1/statuses/{posts[5].pk}/pin")
    assert sixth.status_code == 422
    assert "5" in sixth.json()["error"]
    # Pinning a pinned post again is not a sixth pin.
    assert client.post(f"/api/v1/statuses/{posts[0].pk}/pin").status_code == 200
    # A deleted post frees its place.
    post_delete(post=posts[0], actor=author)
    assert client.post(f"/api/v1/statuses/{posts[5].pk}/pin").status_code == 200
    listed = client.get(f"/api/v1/accounts/{author.pk}/statuses?pinned=true").json()
    assert [s["id"] for s in listed] == [str(p.pk) for p in reversed(posts[1:])]


def test_instance_names_the_pin_limit() -> None:
    for path in ("/api/v1/instance", "/api/v2/instance"):
        body = ApiClient().get(path).json()
        assert body["configuration"]["accounts"]["max_pinned_statuses"] == 5
