"""Contract tests for lists: CRUD, members, the list timeline, privacy, scopes and paging."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.services import block_create, follow_delete, mute_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.api.tests.test_collections import link_ids
from hearth.conftest import committed
from hearth.posts.models import Audience
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

LIST_FIELDS = {"id", "title", "replies_policy", "exclusive"}


def test_create_read_update_delete(api_for: Any) -> None:
    client = api_for(UserFactory())
    made = client.post_json("/api/v1/lists", {"title": "Garden friends"})
    assert made.status_code == 200
    body = made.json()
    assert set(body) == LIST_FIELDS
    assert body["title"] == "Garden friends"
    assert body["replies_policy"] == "list"
    assert body["exclusive"] is False
    list_id = body["id"]
    assert [item["id"] for item in client.get("/api/v1/lists").json()] == [list_id]
    assert client.get(f"/api/v1/lists/{list_id}").json()["title"] == "Garden friends"
    changed = client.put_json(
        f"/api/v1/lists/{list_id}", {"replies_policy": "none", "exclusive": True}
    )
    assert changed.status_code == 200
    assert changed.json() == {
        "id": list_id,
        "title": "Garden friends",
        "replies_policy": "none",
        "exclusive": True,
    }
    # Form-encoded, as many clients send it.
    renamed = client.put(
        f"/api/v1/lists/{list_id}",
        "title=Neighbours",
        content_type="application/x-www-form-urlencoded",
    )
    assert renamed.json()["title"] == "Neighbours"
    assert client.delete(f"/api/v1/lists/{list_id}").json() == {}
    assert client.get(f"/api/v1/lists/{list_id}").status_code == 404
    assert client.get("/api/v1/lists").json() == []


def test_invalid_lists_are_422(api_for: Any) -> None:
    client = api_for(UserFactory())
    assert client.post_json("/api/v1/lists", {"title": "   "}).status_code == 422
    assert client.post_json("/api/v1/lists", {}).status_code == 422
    bad = client.post_json("/api/v1/lists", {"title": "x", "replies_policy": "everyone"})
    assert bad.status_code == 422
    assert bad.json()["error"].startswith("Validation failed")


def test_lists_are_private_to_their_owner(api_for: Any) -> None:
    owner, other = UserFactory(), UserFactory()
    list_id = api_for(owner).post_json("/api/v1/lists", {"title": "Mine"}).json()["id"]
    nosy = api_for(other)
    for method, path in (
        ("get", f"/api/v1/lists/{list_id}"),
        ("put_json", f"/api/v1/lists/{list_id}"),
        ("delete", f"/api/v1/lists/{list_id}"),
        ("get", f"/api/v1/lists/{list_id}/accounts"),
        ("get", f"/api/v1/timelines/list/{list_id}"),
        ("get", "/api/v1/lists/999999"),
        ("get", "/api/v1/lists/not-an-id"),
    ):
        answer = getattr(nosy, method)(path)
        assert answer.status_code == 404, path
        assert answer.json() == {"error": "Record not found"}
    assert nosy.get("/api/v1/lists").json() == []
    assert api_for(owner).get(f"/api/v1/lists/{list_id}").status_code == 200


def test_members_must_be_followed(api_for: Any) -> None:
    owner, friend, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(owner, friend)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "Close"}).json()["id"]
    path = f"/api/v1/lists/{list_id}/accounts"
    refused = client.post_json(path, {"account_ids": [str(friend.pk), str(stranger.pk)]})
    assert refused.status_code == 422
    # All or nothing: the friend was not added either.
    assert client.get(path).json() == []
    added = client.post(
        path, f"account_ids[]={friend.pk}", content_type="application/x-www-form-urlencoded"
    )
    assert added.status_code == 200
    assert added.json() == {}
    # Adding again changes nothing.
    assert client.post_json(path, {"account_ids": [friend.pk]}).status_code == 200
    assert [a["id"] for a in client.get(path).json()] == [str(friend.pk)]
    assert [item["id"] for item in client.get(f"/api/v1/accounts/{friend.pk}/lists").json()] == [
        list_id
    ]
    assert client.get(f"/api/v1/accounts/{stranger.pk}/lists").json() == []
    # A missing account is a 404.
    assert client.post_json(path, {"account_ids": ["12345"]}).status_code == 404
    assert client.post_json(path, {}).status_code == 422
    # Removing, with the ids in the query string or the body.
    assert client.delete(f"{path}?account_ids[]={friend.pk}").json() == {}
    assert client.get(path).json() == []
    client.post_json(path, {"account_ids": [friend.pk]})
    client.delete(path, {"account_ids": [str(friend.pk)]}, content_type="application/json")
    assert client.get(path).json() == []


def test_someone_unfollowed_leaves_the_list(api_for: Any) -> None:
    owner, friend = UserFactory(), UserFactory()
    follow(owner, friend)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "Close"}).json()["id"]
    client.post_json(f"/api/v1/lists/{list_id}/accounts", {"account_ids": [friend.pk]})
    post = publish(friend, "News from the allotment")
    timeline = f"/api/v1/timelines/list/{list_id}"
    assert [s["id"] for s in client.get(timeline).json()] == [str(post.pk)]
    with committed():
        follow_delete(follower=owner, followee=friend)
    assert client.get(timeline).json() == []
    assert client.get(f"/api/v1/lists/{list_id}/accounts").json() == []
    assert client.get(f"/api/v1/accounts/{friend.pk}/lists").json() == []


def test_list_accounts_page_with_link_headers(api_for: Any) -> None:
    owner = UserFactory()
    friends = [UserFactory() for _ in range(3)]
    for friend in friends:
        follow(owner, friend)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "All"}).json()["id"]
    path = f"/api/v1/lists/{list_id}/accounts"
    for friend in friends:
        client.post_json(path, {"account_ids": [friend.pk]})
    first = client.get(f"{path}?limit=2")
    assert [a["id"] for a in first.json()] == [str(friends[2].pk), str(friends[1].pk)]
    second = client.get(f"{path}?limit=2&max_id={link_ids(first)['next']}")
    assert [a["id"] for a in second.json()] == [str(friends[0].pk)]
    assert len(client.get(f"{path}?limit=0").json()) == 3


def test_the_list_timeline_shows_what_the_owner_may_see(api_for: Any) -> None:
    owner, friend, other = UserFactory(), UserFactory(), UserFactory()
    follow(owner, friend)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "Friends"}).json()["id"]
    client.post_json(f"/api/v1/lists/{list_id}/accounts", {"account_ids": [friend.pk]})
    public = publish(friend, "Public news")
    followers = publish(friend, "For followers", audience=Audience.FOLLOWERS)
    # Close circle and mentioned-only: the owner is in neither.
    publish(friend, "For my circle", audience=Audience.CIRCLE)
    publish(friend, "Hi @" + other.username, audience=Audience.MENTIONED)
    publish(other, "Not a member")
    timeline = f"/api/v1/timelines/list/{list_id}"
    answer = client.get(timeline)
    assert answer.status_code == 200
    assert [s["id"] for s in answer.json()] == [str(followers.pk), str(public.pk)]
    links = link_ids(answer)
    assert links == {"next": str(public.pk), "prev": str(followers.pk)}
    older = client.get(f"{timeline}?max_id={public.pk}").json()
    assert older == []
    assert [s["id"] for s in client.get(f"{timeline}?limit=1").json()] == [str(followers.pk)]
    assert [s["id"] for s in client.get(f"{timeline}?min_id={public.pk}").json()] == [
        str(followers.pk)
    ]
    # A mute or a block takes the member's posts out.
    with committed():
        mute_create(muter=owner, muted=friend)
    assert client.get(timeline).json() == []


def test_a_block_empties_the_list(api_for: Any) -> None:
    owner, friend = UserFactory(), UserFactory()
    follow(owner, friend)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "Friends"}).json()["id"]
    client.post_json(f"/api/v1/lists/{list_id}/accounts", {"account_ids": [friend.pk]})
    publish(friend, "Public news")
    with committed():
        block_create(blocker=friend, blocked=owner)
    assert client.get(f"/api/v1/timelines/list/{list_id}").json() == []


@pytest.mark.parametrize(
    ("policy", "shown"),
    [
        ("list", {"root", "to_member", "to_me"}),
        ("followed", {"root", "to_member", "to_me", "to_followed"}),
        ("none", {"root"}),
    ],
)
def test_replies_policy(api_for: Any, policy: str, shown: set[str]) -> None:
    owner, member, followed, stranger = (UserFactory() for _ in range(4))
    for person in (member, followed):
        follow(owner, person)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "R", "replies_policy": policy}).json()[
        "id"
    ]
    client.post_json(f"/api/v1/lists/{list_id}/accounts", {"account_ids": [member.pk]})
    posts = {
        "root": publish(member, "A thought"),
        "to_member": None,
        "to_me": publish(member, "Reply to me", in_reply_to=publish(owner, "Mine")),
        "to_followed": publish(member, "Reply", in_reply_to=publish(followed, "Theirs")),
        "to_stranger": publish(member, "Reply", in_reply_to=publish(stranger, "A stranger's")),
    }
    posts["to_member"] = publish(member, "Self reply", in_reply_to=posts["root"])
    got = {s["id"] for s in client.get(f"/api/v1/timelines/list/{list_id}").json()}
    assert got == {str(posts[name].pk) for name in shown}  # type: ignore[union-attr]


def test_keyword_filters_for_home_apply(api_for: Any) -> None:
    from hearth.kindness.filters import keyword_filter_create

    owner, friend = UserFactory(), UserFactory()
    follow(owner, friend)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "F"}).json()["id"]
    client.post_json(f"/api/v1/lists/{list_id}/accounts", {"account_ids": [friend.pk]})
    keyword_filter_create(
        owner=owner, phrase="spoilers", whole_word=True, action="hide", contexts=["home"],
        expiry="never",
    )  # fmt: skip
    keyword_filter_create(
        owner=owner, phrase="finale", whole_word=True, action="warn", contexts=["home"],
        expiry="never",
    )  # fmt: skip
    publish(friend, "Big spoilers ahead")
    warned = publish(friend, "The finale was something")
    got = client.get(f"/api/v1/timelines/list/{list_id}").json()
    assert [s["id"] for s in got] == [str(warned.pk)]
    assert got[0]["filtered"][0]["keyword_matches"] == ["finale"]
    assert got[0]["filtered"][0]["filter"]["filter_action"] == "warn"


@pytest.mark.parametrize(
    ("method", "path", "scope_ok", "scope_missing"),
    [
        ("get", "/api/v1/lists", "read:lists", "write:lists"),
        ("post", "/api/v1/lists", "write:lists", "read:lists"),
        ("get", "/api/v1/timelines/list/{id}", "read:lists", "read:statuses"),
        ("get", "/api/v1/lists/{id}/accounts", "read", "write"),
        ("get", "/api/v1/accounts/{me}/lists", "read:lists", "read:accounts"),
    ],
)
def test_scopes(method: str, path: str, scope_ok: str, scope_missing: str) -> None:
    user = UserFactory()
    made = ApiClient(issue_token(user)).post_json("/api/v1/lists", {"title": "L"}).json()
    path = path.format(id=made["id"], me=user.pk)
    denied = getattr(ApiClient(issue_token(user, scope_missing)), method)(path)
    assert denied.status_code == 403
    allowed = getattr(ApiClient(issue_token(user, scope_ok)), method)(path)
    assert allowed.status_code in (200, 422)
    assert getattr(ApiClient(), method)(path).status_code == 401


def test_an_exclusive_lists_members_leave_the_home_timeline(api_for: Any) -> None:
    owner, member, other = UserFactory(), UserFactory(), UserFactory()
    follow(owner, member)
    follow(owner, other)
    client = api_for(owner)
    list_id = client.post_json("/api/v1/lists", {"title": "Work", "exclusive": True}).json()["id"]
    client.post_json(f"/api/v1/lists/{list_id}/accounts", {"account_ids": [member.pk]})
    theirs = publish(member, "Meeting notes")
    plain = publish(other, "Lunch?")
    assert [s["id"] for s in client.get("/api/v1/timelines/home").json()] == [str(plain.pk)]
    assert [s["id"] for s in client.get(f"/api/v1/timelines/list/{list_id}").json()] == [
        str(theirs.pk)
    ]
    # Not exclusive any more: back on the home timeline.
    client.put_json(f"/api/v1/lists/{list_id}", {"exclusive": False})
    home = [s["id"] for s in client.get("/api/v1/timelines/home").json()]
    assert home == [str(plain.pk), str(theirs.pk)]
