"""Contract tests for conversations: Hearth's messages as Mastodon's direct conversations."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.api.tests.test_collections import link_ids
from hearth.conftest import committed
from hearth.messaging.services import message_send
from hearth.messaging.tests.helpers import start

pytestmark = pytest.mark.django_db

CONVERSATION_FIELDS = {"id", "unread", "accounts", "last_status"}


def test_conversations_list_with_the_last_message_as_a_direct_status(api_for: Any) -> None:
    alice, bob, carol = (UserFactory(username=n) for n in ("alice", "bob", "carol"))
    for person in (bob, carol):
        follow(person, alice)
    conversation, first = start(alice, bob, carol, text="Picnic on <b>Sunday</b>?")
    client = api_for(bob)
    answer = client.get("/api/v1/conversations")
    assert answer.status_code == 200
    [item] = answer.json()
    assert set(item) == CONVERSATION_FIELDS
    assert item["id"] == str(conversation.pk)
    assert item["unread"] is True
    assert {a["username"] for a in item["accounts"]} == {"alice", "carol"}
    status = item["last_status"]
    assert status["id"] == str(first.pk)
    assert status["visibility"] == "direct"
    assert status["account"]["username"] == "alice"
    assert "<b>" not in status["content"]  # sanitized when sent
    assert "Picnic on" in status["content"]
    assert {m["username"] for m in status["mentions"]} == {"bob", "carol"}
    assert status["url"].endswith(f"/messages/{conversation.pk}#m{first.pk}")
    # The sender sees it as read, with the others as its accounts.
    [mine] = api_for(alice).get("/api/v1/conversations").json()
    assert mine["unread"] is False
    assert {a["username"] for a in mine["accounts"]} == {"bob", "carol"}


def test_mark_read_and_leave(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conversation, _ = start(alice, bob, text="Hello")
    client = api_for(bob)
    read = client.post(f"/api/v1/conversations/{conversation.pk}/read")
    assert read.status_code == 200
    assert read.json()["unread"] is False
    assert client.get("/api/v1/conversations").json()[0]["unread"] is False
    with committed():
        message_send(conversation=conversation, sender=alice, text="Still there?")
    assert client.get("/api/v1/conversations").json()[0]["unread"] is True
    assert client.delete(f"/api/v1/conversations/{conversation.pk}").json() == {}
    assert client.get("/api/v1/conversations").json() == []
    assert client.post(f"/api/v1/conversations/{conversation.pk}/read").status_code == 404
    assert client.delete(f"/api/v1/conversations/{conversation.pk}").status_code == 404
    # Alice still has it.
    assert len(api_for(alice).get("/api/v1/conversations").json()) == 1


def test_message_requests_are_not_listed(api_for: Any) -> None:
    alice, stranger = UserFactory(), UserFactory()
    # The stranger does not follow Alice: her message is a request for them.
    conversation, _ = start(alice, stranger, text="Hi, we met at the market")
    client = api_for(stranger)
    assert client.get("/api/v1/conversations").json() == []
    assert client.post(f"/api/v1/conversations/{conversation.pk}/read").status_code == 404


def test_conversations_page_by_newest_message(api_for: Any) -> None:
    me = UserFactory()
    others = [UserFactory() for _ in range(3)]
    conversations = []
    for other in others:
        follow(other, me)
        follow(me, other)
        conversations.append(start(other, me, text="Hi")[0])
    client = api_for(me)
    first = client.get("/api/v1/conversations?limit=2")
    assert [c["id"] for c in first.json()] == [str(c.pk) for c in reversed(conversations[1:])]
    second = client.get(f"/api/v1/conversations?limit=2&max_id={link_ids(first)['next']}")
    assert [c["id"] for c in second.json()] == [str(conversations[0].pk)]
    # A new message moves a conversation to the top.
    with committed():
        message_send(conversation=conversations[0], sender=others[0], text="Again")
    assert client.get("/api/v1/conversations?limit=1").json()[0]["id"] == str(conversations[0].pk)


@pytest.mark.parametrize(
    ("method", "path", "scope_ok", "scope_missing"),
    [
        ("get", "/api/v1/conversations", "read:statuses", "write:conversations"),
        ("post", "/api/v1/conversations/{id}/read", "write:conversations", "read"),
        ("delete", "/api/v1/conversations/{id}", "write", "read:statuses"),
    ],
)
def test_scopes(method: str, path: str, scope_ok: str, scope_missing: str) -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    conversation, _ = start(alice, bob)
    path = path.format(id=conversation.pk)
    denied = getattr(ApiClient(issue_token(bob, scope_missing)), method)(path)
    assert denied.status_code == 403
    assert getattr(ApiClient(issue_token(bob, scope_ok)), method)(path).status_code == 200
    assert getattr(ApiClient(), method)(path).status_code == 401
