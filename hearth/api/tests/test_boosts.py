"""Reblogs (Hearth's shares) through the client API: endpoints, timelines, notifications."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.api.tests.test_contract import STATUS_FIELDS
from hearth.conftest import committed
from hearth.posts.models import Audience, Boost
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def test_reblog_answers_the_share_holding_the_post_and_unreblog_the_post(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Our allotment won a ribbon #garden")
    client = api_for(bob)

    response = client.post(f"/api/v1/statuses/{post.pk}/reblog")
    assert response.status_code == 200
    wrapper = response.json()
    assert set(wrapper) >= STATUS_FIELDS
    boost = Boost.objects.get(booster=bob, post=post)
    assert wrapper["id"] == str(boost.pk)
    assert wrapper["account"]["id"] == str(bob.pk)
    assert wrapper["content"] == ""
    assert wrapper["media_attachments"] == [] and wrapper["tags"] == []
    assert wrapper["visibility"] == "public"
    inner = wrapper["reblog"]
    assert set(inner) >= STATUS_FIELDS
    assert inner["id"] == str(post.pk)
    assert inner["account"]["id"] == str(alice.pk)
    assert "Our allotment won a ribbon" in inner["content"]
    assert inner["reblog"] is None
    assert inner["reblogged"] is True and wrapper["reblogged"] is True
    assert inner["reblogs_count"] == 0  # a count only its author sees

    # Again: the same share. A share's own id is accepted too, as Mastodon does.
    assert client.post(f"/api/v1/statuses/{post.pk}/reblog").json()["id"] == str(boost.pk)
    assert client.post(f"/api/v1/statuses/{boost.pk}/reblog").json()["id"] == str(boost.pk)
    assert Boost.objects.count() == 1
    # The share can be read by its id.
    assert client.get(f"/api/v1/statuses/{boost.pk}").json()["reblog"]["id"] == str(post.pk)

    undone = client.post(f"/api/v1/statuses/{post.pk}/unreblog")
    assert undone.status_code == 200
    assert undone.json()["id"] == str(post.pk)
    assert undone.json()["reblogged"] is False
    assert not Boost.objects.exists()
    assert client.post(f"/api/v1/statuses/{post.pk}/unreblog").status_code == 200
    assert client.get(f"/api/v1/statuses/{boost.pk}").status_code == 404


def test_reblog_needs_write_statuses() -> None:
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Hello")
    for path in ("reblog", "unreblog"):
        denied = ApiClient(issue_token(bob, "read write:favourites")).post(
            f"/api/v1/statuses/{post.pk}/{path}"
        )
        assert denied.status_code == 403
        assert denied.json() == {"error": "This action is outside the authorized scopes"}
        assert ApiClient().post(f"/api/v1/statuses/{post.pk}/{path}").status_code == 401
    allowed = ApiClient(issue_token(bob, "write:statuses"))
    assert allowed.post(f"/api/v1/statuses/{post.pk}/reblog").status_code == 200


def test_what_may_not_be_shared_is_403_and_what_is_hidden_404(api_for: Any) -> None:
    alice, bob, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)
    private = publish(alice, "For followers", audience=Audience.FOLLOWERS)
    refused = api_for(bob).post(f"/api/v1/statuses/{private.pk}/reblog")
    assert refused.status_code == 403
    assert "Only public posts" in refused.json()["error"]
    hidden = api_for(stranger).post(f"/api/v1/statuses/{private.pk}/reblog")
    assert hidden.status_code == 404
    assert api_for(bob).post("/api/v1/statuses/12345/reblog").status_code == 404
    public = publish(alice, "Public")
    with committed():
        block_create(blocker=alice, blocked=stranger)
    assert api_for(stranger).post(f"/api/v1/statuses/{public.pk}/reblog").status_code == 404
    assert not Boost.objects.exists()


def test_reblogged_by_and_the_count_are_the_authors_alone(api_for: Any) -> None:
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    post = publish(alice, "Quietly popular")
    api_for(bob).post(f"/api/v1/statuses/{post.pk}/reblog")
    api_for(carol).post(f"/api/v1/statuses/{post.pk}/reblog")
    own = api_for(alice)
    response = own.get(f"/api/v1/statuses/{post.pk}/reblogged_by")
    assert [a["id"] for a in response.json()] == [str(carol.pk), str(bob.pk)]
    assert 'rel="next"' in response["Link"]
    page = own.get(f"/api/v1/statuses/{post.pk}/reblogged_by?limit=1").json()
    assert [a["id"] for a in page] == [str(carol.pk)]
    assert own.get(f"/api/v1/statuses/{post.pk}").json()["reblogs_count"] == 2
    assert api_for(bob).get(f"/api/v1/statuses/{post.pk}/reblogged_by").json() == []
    assert api_for(None).get(f"/api/v1/statuses/{post.pk}/reblogged_by").json() == []
    assert api_for(bob).get(f"/api/v1/statuses/{post.pk}").json()["reblogs_count"] == 0


def test_home_and_account_timelines_carry_shares_as_reblogs(api_for: Any) -> None:
    alice, bob, reader = UserFactory(), UserFactory(), UserFactory()
    follow(reader, bob)
    shared = publish(alice, "Passed along")
    own = publish(bob, "Bob's own")
    api_for(bob).post(f"/api/v1/statuses/{shared.pk}/reblog")
    boost = Boost.objects.get()

    home = api_for(reader).get("/api/v1/timelines/home")
    body = home.json()
    assert [s["id"] for s in body] == [str(boost.pk), str(own.pk)]
    assert body[0]["account"]["id"] == str(bob.pk)
    assert body[0]["reblog"]["id"] == str(shared.pk)
    assert body[0]["reblog"]["reblogged"] is False  # the reader did not share it
    assert body[1]["reblog"] is None
    assert f"max_id={own.pk}" in home["Link"] and f"min_id={boost.pk}" in home["Link"]

    statuses = api_for(reader).get(f"/api/v1/accounts/{bob.pk}/statuses").json()
    assert [(s["id"], (s["reblog"] or {}).get("id")) for s in statuses] == [
        (str(boost.pk), str(shared.pk)),
        (str(own.pk), None),
    ]
    plain = api_for(reader).get(f"/api/v1/accounts/{bob.pk}/statuses?exclude_reblogs=true")
    assert [s["id"] for s in plain.json()] == [str(own.pk)]
    older = api_for(reader).get(f"/api/v1/accounts/{bob.pk}/statuses?max_id={boost.pk}")
    assert [s["id"] for s in older.json()] == [str(own.pk)]


def test_the_author_gets_a_reblog_notification(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "A small win")
    api_for(bob).post(f"/api/v1/statuses/{post.pk}/reblog")
    notes = api_for(alice).get("/api/v1/notifications").json()
    assert [(n["type"], n["account"]["id"], n["status"]["id"]) for n in notes] == [
        ("reblog", str(bob.pk), str(post.pk))
    ]
    only = api_for(alice).get("/api/v1/notifications?types[]=reblog").json()
    assert len(only) == 1
    assert api_for(alice).get("/api/v1/notifications?exclude_types[]=reblog").json() == []


def test_the_openapi_document_nests_the_reblog() -> None:
    doc = ApiClient().get("/api/openapi.json").json()
    assert "/api/v1/statuses/{status_id}/reblog" in doc["paths"]
    assert "/api/v1/statuses/{status_id}/unreblog" in doc["paths"]
    reblog = doc["components"]["schemas"]["StatusOut"]["properties"]["reblog"]
    assert "StatusOut" in str(reblog)
