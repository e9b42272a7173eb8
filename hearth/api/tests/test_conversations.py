"""Contract tests for conversations: Hearth's messages as Mastodon's direct conversations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests import test_clients as clients
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.api.tests.test_collections import link_ids
from hearth.conftest import committed
from hearth.messaging.models import Participant
from hearth.messaging.selectors import inbox, unread_count
from hearth.messaging.services import MessagingError, conversation_hide, message_send
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


def test_mark_read(api_for: Any) -> None:
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


def listed(client: Any) -> list[str]:
    return [c["id"] for c in client.get("/api/v1/conversations").json()]


def test_delete_hides_until_the_next_message(api_for: Any) -> None:
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    follow(bob, alice)
    conversation, first = start(alice, bob, text="Hello")
    client = api_for(bob)
    assert client.delete(f"/api/v1/conversations/{conversation.pk}").json() == {}
    assert listed(client) == []
    # Hiding is idempotent, and the conversation is still readable by id.
    assert client.delete(f"/api/v1/conversations/{conversation.pk}").json() == {}
    read = client.post(f"/api/v1/conversations/{conversation.pk}/read")
    assert read.status_code == 200
    assert read.json()["last_status"]["id"] == str(first.pk)
    assert listed(client) == []  # reading it does not list it again
    # Bob has not left: Alice still has him in it, and the web inbox still lists it.
    mine = Participant.objects.get(conversation=conversation, user=bob)
    assert mine.state == Participant.State.ACTIVE
    assert [row.conversation.pk for row in inbox(viewer=bob)] == [conversation.pk]
    [hers] = api_for(alice).get("/api/v1/conversations").json()
    assert [a["username"] for a in hers["accounts"]] == ["bob"]
    # Her next message reaches him (no "No one else is in this conversation
    # any more.") and brings it back, unread, with that message as last_status.
    with committed():
        second = message_send(conversation=conversation, sender=alice, text="Still there?")
    [item] = client.get("/api/v1/conversations").json()
    assert item["id"] == str(conversation.pk)
    assert item["last_status"]["id"] == str(second.pk)
    assert item["unread"] is True
    assert client.post(f"/api/v1/conversations/{conversation.pk}/read").json()["unread"] is False
    assert listed(client) == [str(conversation.pk)]


def test_hiding_while_unread_and_own_message_brings_it_back(api_for: Any) -> None:
    alice, bob, carol = (UserFactory() for _ in range(3))
    for person in (bob, carol):
        follow(person, alice)
    conversation, _ = start(alice, bob, carol, text="Hello, both")
    client = api_for(bob)
    assert client.get("/api/v1/conversations").json()[0]["unread"] is True
    client.delete(f"/api/v1/conversations/{conversation.pk}")
    assert listed(client) == []
    # Hidden only for Bob, and his read line did not move.
    assert listed(api_for(carol)) == [str(conversation.pk)]
    assert unread_count(user=bob) == 1
    # A message from Bob himself brings it back too, read (it is his).
    with committed():
        mine = message_send(conversation=conversation, sender=bob, text="Hi!")
    [item] = client.get("/api/v1/conversations").json()
    assert item["last_status"]["id"] == str(mine.pk)
    assert item["unread"] is False


def test_only_people_in_it_may_hide_it(api_for: Any) -> None:
    alice, bob, stranger, requested = (UserFactory() for _ in range(4))
    follow(bob, alice)
    # `requested` does not follow Alice: for them it is a message request.
    conversation, _ = start(alice, bob, requested, text="Hello")
    path = f"/api/v1/conversations/{conversation.pk}"
    assert api_for(stranger).delete(path).status_code == 404
    assert api_for(requested).delete(path).status_code == 404
    assert api_for(bob).delete("/api/v1/conversations/12345").status_code == 404
    assert listed(api_for(bob)) == [str(conversation.pk)]
    with pytest.raises(MessagingError):
        conversation_hide(conversation=conversation, user=stranger)
    hidden = Participant.objects.filter(conversation=conversation, hidden_through_message_id__gt=0)
    assert not hidden.exists()


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


@pytest.mark.django_db(transaction=True)
def test_mastodon_py_sees_a_deleted_conversation_come_back(
    live_server: Any, tmp_path: Path
) -> None:
    # Mastodon.py has no call for DELETE /api/v1/conversations/:id: it is sent
    # with the client's own token; listing and reading go through Mastodon.py.
    alice, bob = clients.person("alice"), clients.person("bob")
    follow(bob, alice)
    b = clients.mastodon_login(live_server.url, bob, tmp_path)
    conversation, first = start(alice, bob, text="Seed swap?")
    [item] = b.conversations()
    assert int(item["last_status"]["id"]) == first.pk
    # The live test server: a plain http URL.
    delete = Request(  # noqa: S310
        f"{live_server.url}/api/v1/conversations/{conversation.pk}",
        method="DELETE",
        headers={"Authorization": f"Bearer {b.access_token}"},
    )
    with urlopen(delete) as gone:  # noqa: S310
        assert gone.status == 200
        assert json.loads(gone.read()) == {}
    assert b.conversations() == []
    assert int(b.conversations_read(conversation.pk)["id"]) == conversation.pk
    second = message_send(conversation=conversation, sender=alice, text="Saturday, then")
    [item] = b.conversations()
    assert int(item["id"]) == conversation.pk
    assert int(item["last_status"]["id"]) == second.pk
    assert item["unread"] is True
