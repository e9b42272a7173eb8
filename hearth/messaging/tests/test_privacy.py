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


# A group across a block is refused, whoever started it: (blocker, blocked, named).
# "sam" starts a group with "amy" and "bob", typed in that order. The refusal
# names one person and reads the same whichever of the two blocked the other.
GROUP_BLOCKS: list[tuple[str, str, str]] = [
    ("sam", "amy", "amy"),  # the starter blocked someone
    ("amy", "sam", "amy"),  # someone blocked the starter
    ("amy", "bob", "bob"),  # two of the others: the one typed later is named...
    ("bob", "amy", "bob"),  # ...whichever of them blocked
]


@pytest.mark.parametrize(("blocker", "blocked", "named"), GROUP_BLOCKS)
def test_a_group_across_a_block_is_refused_and_says_nothing_of_who_blocked(
    client_for: Callable[[User | None], Any], blocker: str, blocked: str, named: str
) -> None:
    people = {name: UserFactory(username=name) for name in ("sam", "amy", "bob")}
    with committed():
        block_create(blocker=people[blocker], blocked=people[blocked])
    response = client_for(people["sam"]).post(
        "/messages/new", {"to": "amy, bob", "text": "Shall we plan the allotment rota together?"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"You can&#x27;t message @{named}." in body
    assert "block" not in body.lower()
    assert Conversation.objects.count() == Message.objects.count() == 0


def test_the_two_directions_of_a_block_between_others_give_the_same_page(
    client_for: Callable[[User | None], Any],
) -> None:
    sam, amy, bob = (UserFactory(username=n) for n in ("sam", "amy", "bob"))
    token = re.compile(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')
    pages = []
    for blocker, blocked in ((amy, bob), (bob, amy)):
        with committed():
            block_create(blocker=blocker, blocked=blocked)
        page = client_for(sam).post(
            "/messages/new", {"to": "amy bob", "text": "Shall we plan the allotment rota?"}
        )
        pages.append(token.sub("", page.content.decode()))
        blocker.blocking_set.all().delete()
    assert pages[0] == pages[1]


def test_a_block_inside_a_group_removes_the_blocked_person_only(
    client_for: Callable[[User | None], Any], monkeypatch: Any
) -> None:
    """What each one sees: the blocked person loses the group as if they had left it;
    the blocker and the others keep it, its history included, one person fewer."""
    from hearth.core import live
    from hearth.messaging.services import message_send

    ana, ben, cy = (UserFactory(username=n) for n in ("ana", "ben", "cy"))
    for person in (ben, cy):
        follow(person, ana)
    group, _ = start(ana, ben, cy, text="Walk on Sunday morning?", title="Walkers")
    with committed():
        message_send(conversation=group, sender=cy, text="Count me in for the walk")
        block_create(blocker=ben, blocked=cy)

    states = dict(Participant.objects.filter(conversation=group).values_list("user", "state"))
    assert states == {ana.pk: "active", ben.pk: "active", cy.pk: "left"}
    assert client_for(cy).get(group.get_absolute_url()).status_code == 404
    assert group.get_absolute_url().encode() not in client_for(cy).get("/messages").content
    page = client_for(ben).get(group.get_absolute_url()).content.decode()
    assert "Count me in for the walk" in page  # the blocker keeps the history
    with_line = page.split("Only the people")[0]
    assert 'href="/@ana"' in with_line and 'href="/@cy"' not in with_line

    sent: list[str] = []
    monkeypatch.setattr(live, "publish", lambda channel, event, data=None: sent.append(channel))
    with committed():
        message_send(conversation=group, sender=ana, text="See you both at nine")
    assert sorted(sent) == sorted([f"user:{ana.pk}", f"user:{ben.pk}"])


@pytest.mark.parametrize("sender", ["blocker", "blocked", "other"])
def test_a_group_message_never_crosses_a_block_even_before_its_task_runs(sender: str) -> None:
    """The block's task may not have run yet: sending into the group checks anyway."""
    from hearth.accounts.models import Block
    from hearth.messaging.services import MessagingError, message_send

    ana, ben, cy = UserFactory(), UserFactory(), UserFactory()
    for person in (ben, cy):
        follow(person, ana)
    group, _ = start(ana, ben, cy, text="Walk on Sunday morning?")
    Block.objects.create(blocker=ben, blocked=cy)  # no event: as if the task were pending
    who = {"blocker": ben, "blocked": cy, "other": ana}[sender]
    if sender == "blocked":
        with pytest.raises(MessagingError, match="no longer in this conversation"):
            message_send(conversation=group, sender=who, text="Anyone still coming?")
        assert Message.objects.count() == 1
    else:
        message_send(conversation=group, sender=who, text="Anyone still coming?")
    assert Participant.objects.get(conversation=group, user=cy).state == Participant.State.LEFT


def test_the_blocked_person_sending_before_the_task_gets_the_404(
    client_for: Callable[[User | None], Any],
) -> None:
    from hearth.accounts.models import Block

    ana, ben, cy = UserFactory(), UserFactory(), UserFactory()
    for person in (ben, cy):
        follow(person, ana)
    group, _ = start(ana, ben, cy, text="Walk on Sunday morning?")
    Block.objects.create(blocker=ben, blocked=cy)  # no event: as if the task were pending
    response = client_for(cy).post(f"/messages/{group.pk}/send", {"text": "Anyone coming?"})
    assert response.status_code == 404
    assert b"Walk on Sunday morning?" not in response.content
    assert Message.objects.count() == 1
