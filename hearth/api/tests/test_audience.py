"""Audience rules through the API, as a table: who may read which post.

Every row is (audience, viewer, visible). A post the viewer may not read is
a 404 on every path that could reveal it, exactly like a missing one, and
never appears in a list.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.services import block_create, circle_add
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.posts.models import Audience
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

VIEWERS = ("author", "stranger", "follower", "circle", "mentioned", "blocked", "blocker", "nobody")
TABLE = [
    (Audience.PUBLIC, {"author", "stranger", "follower", "circle", "mentioned", "nobody"}),
    # Read by anyone with the link, as public; never listed in public places.
    (Audience.UNLISTED, {"author", "stranger", "follower", "circle", "mentioned", "nobody"}),
    (Audience.FOLLOWERS, {"author", "follower", "circle", "mentioned"}),
    (Audience.CIRCLE, {"author", "circle", "mentioned"}),
    (Audience.MENTIONED, {"author", "mentioned"}),
]
VISIBILITY: dict[str, str] = {
    Audience.PUBLIC: "public",
    Audience.UNLISTED: "unlisted",
    Audience.FOLLOWERS: "private",
    Audience.CIRCLE: "private",
    Audience.MENTIONED: "direct",
}


@pytest.fixture
def world() -> dict[str, Any]:
    author = UserFactory(username="author")
    people = {
        name: UserFactory(username=name) for name in VIEWERS if name not in ("author", "nobody")
    }
    for name in ("follower", "circle", "mentioned"):
        follow(people[name], author)
    circle_add(owner=author, member=people["circle"])
    block_create(blocker=author, blocked=people["blocked"])
    block_create(blocker=people["blocker"], blocked=author)
    return {"author": author, **people}


def client_of(world: dict[str, Any], viewer: str) -> ApiClient:
    if viewer == "nobody":
        return ApiClient()
    return ApiClient(issue_token(world[viewer]))


@pytest.mark.parametrize(("audience", "allowed"), TABLE, ids=[a for a, _ in TABLE])
def test_who_may_read(world: dict[str, Any], audience: str, allowed: set[str]) -> None:
    author = world["author"]
    post = publish(author, "Thinking of you all @mentioned #news", audience=audience)
    reply = publish(author, "And a reply @mentioned", audience=audience, in_reply_to=post)
    for viewer in VIEWERS:
        check(world, viewer, viewer in allowed, audience, post.pk, reply.pk)


def check(
    world: dict[str, Any], viewer: str, visible: bool, audience: str, post_pk: int, reply_pk: int
) -> None:
    author = world["author"]
    client = client_of(world, viewer)
    why = f"{audience} post, viewer {viewer}"
    expected = 200 if visible else 404
    for path in (
        f"/api/v1/statuses/{post_pk}",
        f"/api/v1/statuses/{post_pk}/context",
        f"/api/v1/statuses/{post_pk}/history",
        f"/api/v1/pleroma/statuses/{post_pk}/reactions",
    ):
        assert client.get(path).status_code == expected, f"{why}: {path}"
    listed = client.get(f"/api/v1/accounts/{author.pk}/statuses")
    if viewer == "blocked":
        # Someone who blocked you is not found at all.
        assert listed.status_code == 404, why
    ids = {s["id"] for s in listed.json()} if listed.status_code == 200 else set()
    assert (str(post_pk) in ids) == visible, why
    listed_publicly = visible and audience == Audience.PUBLIC
    tagged = {s["id"] for s in client.get("/api/v1/timelines/tag/news").json()}
    assert (str(post_pk) in tagged) == listed_publicly, why
    for timeline in ("/api/v1/timelines/public", "/api/v1/timelines/public?local=true"):
        public = {s["id"] for s in client.get(timeline).json()}
        assert (str(post_pk) in public) == listed_publicly, f"{why}: {timeline}"
    if visible:
        shown = client.get(f"/api/v1/statuses/{post_pk}").json()
        assert shown["visibility"] == VISIBILITY[audience], why
    if visible:
        context = client.get(f"/api/v1/statuses/{reply_pk}/context").json()
        assert [s["id"] for s in context["ancestors"]] == [str(post_pk)], why
    if viewer not in ("nobody", "author"):
        favourite = client.post(f"/api/v1/statuses/{post_pk}/favourite")
        assert favourite.status_code == expected, why
        saved = client.post(f"/api/v1/statuses/{post_pk}/bookmark")
        assert saved.status_code == expected, why
        bookmarked = {s["id"] for s in client.get("/api/v1/bookmarks").json()}
        assert (str(post_pk) in bookmarked) == visible, why
        # Only the author may pin; to anyone else a visible post is a 422, a hidden one a 404.
        pinned = client.post(f"/api/v1/statuses/{post_pk}/pin")
        assert pinned.status_code == (422 if visible else 404), why
        searched = client.get("/api/v2/search?q=Thinking&type=statuses").json()["statuses"]
        # Search is a public place too: someone else's unlisted post is not found there.
        found = visible and audience != Audience.UNLISTED
        assert (str(post_pk) in {s["id"] for s in searched}) == found, why


def test_a_blocked_person_cannot_reply_or_see_the_author(world: dict[str, Any]) -> None:
    post = publish(world["author"], "Public news")
    client = client_of(world, "blocker")
    answer = client.post_json("/api/v1/statuses", {"status": "hi", "in_reply_to_id": post.pk})
    assert answer.status_code == 404
    assert (
        client_of(world, "blocked").get(f"/api/v1/accounts/{world['author'].pk}").status_code == 404
    )


# --- messages: only the people in a conversation ever read them ------------------

# (role, sees the conversation). A message is never a status: its id is a 404
# on every status path, for everyone, its participants included.
MESSAGE_TABLE = [
    ("participant", True),
    ("sender", True),
    ("former", False),
    ("stranger", False),
    ("blocked", False),
    ("requested", False),
    ("nobody", False),
]


@pytest.fixture
def conversation_world() -> dict[str, Any]:
    from hearth.accounts.services import block_create as block
    from hearth.conftest import committed
    from hearth.messaging.services import conversation_leave
    from hearth.messaging.tests.helpers import start

    people = {
        name: UserFactory(username=name)
        for name in ("sender", "participant", "former", "stranger", "blocked", "requested")
    }
    for name in ("participant", "former", "blocked"):
        follow(people[name], people["sender"])
    # "requested" does not follow the sender: the conversation is a request for them.
    conversation, message = start(
        people["sender"],
        *(people[n] for n in ("participant", "former", "blocked", "requested")),
        text="Our secret plans for the surprise party",
    )
    with committed():
        conversation_leave(conversation=conversation, user=people["former"])
        block(blocker=people["sender"], blocked=people["blocked"])
    return {**people, "conversation": conversation, "message": message}


@pytest.mark.parametrize(("role", "sees"), MESSAGE_TABLE, ids=[r for r, _ in MESSAGE_TABLE])
def test_who_may_read_a_message(conversation_world: dict[str, Any], role: str, sees: bool) -> None:
    conversation = conversation_world["conversation"]
    message = conversation_world["message"]
    client = ApiClient() if role == "nobody" else ApiClient(issue_token(conversation_world[role]))
    listed = client.get("/api/v1/conversations")
    if role == "nobody":
        assert listed.status_code == 401
    else:
        ids = [c["id"] for c in listed.json()]
        assert (str(conversation.pk) in ids) == sees, role
        statuses = [c["last_status"]["id"] for c in listed.json()]
        assert (str(message.pk) in statuses) == sees, role
    expected = 200 if sees else (401 if role == "nobody" else 404)
    assert client.post(f"/api/v1/conversations/{conversation.pk}/read").status_code == expected
    # A message is not a status, for anyone.
    for path in (
        f"/api/v1/statuses/{message.pk}",
        f"/api/v1/statuses/{message.pk}/context",
        f"/api/v1/statuses/{message.pk}/history",
    ):
        assert client.get(path).status_code == 404, f"{role}: {path}"
    if role != "nobody":
        for action in ("favourite", "bookmark", "pin"):
            answer = client.post(f"/api/v1/statuses/{message.pk}/{action}")
            assert answer.status_code == 404, f"{role}: {action}"
        searched = client.get("/api/v2/search?q=surprise&type=statuses").json()["statuses"]
        assert searched == [], role
        assert client.get("/api/v1/timelines/home").json() == [], role
        assert client.get("/api/v1/bookmarks").json() == [], role
    # Hiding it (Mastodon's DELETE) is the last thing; strangers get a 404 as for any read.
    expected_delete = 200 if sees else (401 if role == "nobody" else 404)
    assert client.delete(f"/api/v1/conversations/{conversation.pk}").status_code == expected_delete
