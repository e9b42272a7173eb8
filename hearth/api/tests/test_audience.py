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
    (Audience.FOLLOWERS, {"author", "follower", "circle", "mentioned"}),
    (Audience.CIRCLE, {"author", "circle", "mentioned"}),
    (Audience.MENTIONED, {"author", "mentioned"}),
]


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
    tagged = {s["id"] for s in client.get("/api/v1/timelines/tag/news").json()}
    assert (str(post_pk) in tagged) == (visible and audience == Audience.PUBLIC), why
    if visible:
        context = client.get(f"/api/v1/statuses/{reply_pk}/context").json()
        assert [s["id"] for s in context["ancestors"]] == [str(post_pk)], why
    if viewer not in ("nobody", "author"):
        favourite = client.post(f"/api/v1/statuses/{post_pk}/favourite")
        assert favourite.status_code == expected, why
        searched = client.get("/api/v2/search?q=Thinking&type=statuses").json()["statuses"]
        assert (str(post_pk) in {s["id"] for s in searched}) == visible, why


def test_a_blocked_person_cannot_reply_or_see_the_author(world: dict[str, Any]) -> None:
    post = publish(world["author"], "Public news")
    client = client_of(world, "blocker")
    answer = client.post_json("/api/v1/statuses", {"status": "hi", "in_reply_to_id": post.pk})
    assert answer.status_code == 404
    assert (
        client_of(world, "blocked").get(f"/api/v1/accounts/{world['author'].pk}").status_code == 404
    )
