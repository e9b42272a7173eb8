"""Only participants can ever read a conversation: one row per page or endpoint.

Every role that is not in the conversation (a former participant, a stranger,
someone the conversation ended for by a block, anyone logged out) gets the
same answer as for a conversation that does not exist. A new conversation
page is covered by adding one row to ENDPOINTS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from hearth.accounts.models import User
from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import committed
from hearth.messaging.models import Conversation, Message, Participant
from hearth.messaging.services import conversation_leave
from hearth.messaging.tests.helpers import start

pytestmark = pytest.mark.django_db

# (name, method, url template, POST data). {c}: conversation id, {p}: photo id.
ENDPOINTS: list[tuple[str, str, str, dict[str, str]]] = [
    ("page", "get", "/messages/{c}", {}),
    ("older page", "get", "/messages/{c}?max_id=99999999999999999", {}),
    ("photo", "get", "/messages/{c}/photos/{p}", {}),
    ("send", "post", "/messages/{c}/send", {"text": "let me in"}),
    ("accept", "post", "/messages/{c}/accept", {}),
    ("ignore", "post", "/messages/{c}/ignore", {}),
    ("block", "post", "/messages/{c}/block", {}),
    ("leave", "post", "/messages/{c}/leave", {}),
    ("mute", "post", "/messages/{c}/mute", {"muted": "1"}),
    ("rename", "post", "/messages/{c}/rename", {"title": "mine now"}),
    ("read", "post", "/messages/{c}/read", {"up_to": "1"}),
]

ROLES = ["participant", "former", "stranger", "blocked", "anonymous", "missing"]


@pytest.fixture
def world() -> dict[str, Any]:
    owner = UserFactory(username="owner")
    friend = UserFactory(username="friend")
    former = UserFactory(username="former")
    pest = UserFactory(username="pest")
    stranger = UserFactory(username="stranger")
    for person in (friend, former, pest):
        follow(person, owner)
    conversation, message = start(owner, friend, former, pest, text="Secret plans", photo=True)
    with committed():
        conversation_leave(conversation=conversation, user=former)
        block_create(blocker=owner, blocked=pest)
    return {
        "conversation": conversation,
        "photo": message.photos.get(),
        "users": {
            "participant": friend,
            "former": former,
            "stranger": stranger,
            "blocked": pest,
            "anonymous": None,
            "missing": friend,
        },
    }


def test_block_ended_the_conversation_for_the_blocked_person(world: dict[str, Any]) -> None:
    state = Participant.objects.get(
        conversation=world["conversation"], user=world["users"]["blocked"]
    ).state
    assert state == Participant.State.LEFT


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_only_participants_reach_a_conversation(
    world: dict[str, Any],
    client_for: Callable[[User | None], Any],
    role: str,
    name: str,
    method: str,
    url: str,
    data: dict[str, str],
) -> None:
    conversation: Conversation = world["conversation"]
    cid = 4242 if role == "missing" else conversation.pk
    path = url.format(c=cid, p=world["photo"].pk)
    before = (Message.objects.count(), list(Participant.objects.values_list("state", "muted")))
    client = client_for(world["users"][role])
    response = getattr(client, method)(path, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/login")
    elif role == "participant":
        assert response.status_code in (200, 204, 302), response.content[:300]
        if name == "photo":
            assert response["Content-Type"] == "image/jpeg"
            assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        if name == "page":
            assert b"Secret plans" in response.content
    else:
        assert response.status_code == 404, (role, name, response.status_code)
        assert b"Secret plans" not in response.content
        assert (
            Message.objects.count(),
            list(Participant.objects.values_list("state", "muted")),
        ) == before


@pytest.mark.parametrize("role", ["former", "stranger", "blocked"])
def test_outsiders_get_the_same_404_as_for_nothing(
    world: dict[str, Any], client_for: Callable[[User | None], Any], role: str
) -> None:
    client = client_for(world["users"][role])
    real = client.get(f"/messages/{world['conversation'].pk}")
    missing = client.get("/messages/4242")
    assert real.status_code == missing.status_code == 404
    # The same page, but for the per-response CSRF mask.
    token = re.compile(rb'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub(b"", real.content) == token.sub(b"", missing.content)


def test_inbox_lists_only_own_conversations(
    world: dict[str, Any], client_for: Callable[[User | None], Any]
) -> None:
    for role in ("former", "stranger", "blocked"):
        page = client_for(world["users"][role]).get("/messages")
        assert page.status_code == 200
        assert b"Secret plans" not in page.content
        assert f"/messages/{world['conversation'].pk}".encode() not in page.content
    page = client_for(world["users"]["participant"]).get("/messages")
    assert f"/messages/{world['conversation'].pk}".encode() in page.content


def test_live_events_reach_only_participants(world: dict[str, Any], monkeypatch: Any) -> None:
    """The live channel is the third way to read: only people present get a message."""
    from hearth.core import live
    from hearth.messaging.services import message_send

    sent: list[str] = []
    monkeypatch.setattr(
        live, "publish", lambda channel, event, data=None: sent.append(f"{channel}:{event}")
    )
    users = world["users"]
    owner = User.objects.get(username="owner")
    with committed():
        message_send(conversation=world["conversation"], sender=owner, text="Still secret")
    assert sorted(sent) == sorted(
        [f"user:{owner.pk}:message", f"user:{users['participant'].pk}:message"]
    )
