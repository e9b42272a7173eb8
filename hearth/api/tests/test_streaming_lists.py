"""The list and direct streams: what a list's owner and a conversation's people hear live.

Streams are opened with hearth.api.streaming.sse.streaming_app directly, as in
test_streaming.py, whose helpers (and its autouse set-up) are used here.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from hearth.accounts.tests.factories import follow
from hearth.api.tests.conftest import issue_token
from hearth.api.tests.test_streaming import (  # noqa: F401  (_live is an autouse fixture)
    PACE,
    _live,
    open_stream,
    person,
    publish,
)
from hearth.conftest import committed
from hearth.feeds.lists import list_create, list_members_add
from hearth.messaging.services import message_send
from hearth.messaging.tests.helpers import start
from hearth.posts.models import Audience, Post

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_list_stream_carries_the_members_posts_only() -> None:
    owner, member, other = person("owner"), person("member"), person("other")
    follow(owner, member)
    follow(owner, other)
    reading_list = list_create(owner=owner, title="Garden")
    list_members_add(reading_list=reading_list, owner=owner, members=[member])
    posted: list[Post] = []

    def act() -> None:
        posted.append(publish(member, "Tomatoes are in"))
        publish(other, "Not in the list")
        posted.append(publish(member, "Just for followers", audience=Audience.FOLLOWERS))

    result = open_stream(
        "/api/v1/streaming/list",
        token=issue_token(owner, "read:lists"),
        query=f"list={reading_list.pk}",
        action=act,
        expect=2,
    )
    assert result.status == 200
    assert result.updates() == [str(p.pk) for p in posted]


def test_the_list_stream_is_the_owners_only() -> None:
    owner, nosy = person("owner"), person("nosy")
    reading_list = list_create(owner=owner, title="Mine")
    query = f"list={reading_list.pk}"
    refused = open_stream("/api/v1/streaming/list", token=issue_token(nosy, "read"), query=query)
    assert refused.status == 404
    assert json.loads(refused.body) == {"error": "Record not found"}
    # Its own scope, or read; not read:statuses alone.
    scoped = open_stream(
        "/api/v1/streaming/list", token=issue_token(owner, "read:statuses"), query=query
    )
    assert scoped.status == 401
    assert (
        open_stream("/api/v1/streaming/list", token=issue_token(owner), query=query).status == 200
    )


def test_the_direct_stream_sends_conversations_to_their_people_only() -> None:
    alice, bob, eve = person("alice"), person("bob"), person("eve")
    follow(bob, alice)
    conversation, _ = start(alice, bob, text="Hello Bob")
    time.sleep(PACE)
    sent: list[Any] = []

    def act() -> None:
        with committed():
            sent.append(message_send(conversation=conversation, sender=alice, text="Cake?"))
        time.sleep(PACE)

    heard = open_stream(
        "/api/v1/streaming/direct", token=issue_token(bob, "read"), action=act, expect=1
    )
    assert heard.status == 200
    [(name, payload)] = heard.events()
    assert name == "conversation"
    assert payload["id"] == str(conversation.pk)
    assert payload["unread"] is True
    assert payload["last_status"]["id"] == str(sent[0].pk)
    assert payload["last_status"]["visibility"] == "direct"
    assert [a["username"] for a in payload["accounts"]] == ["alice"]
    # Someone outside it hears nothing, nor does the user stream carry it.
    for path, who in (("/api/v1/streaming/direct", eve), ("/api/v1/streaming/user", bob)):
        quiet = open_stream(path, token=issue_token(who, "read"), action=act)
        assert quiet.status == 200
        assert quiet.events() == [], path


def test_a_message_request_stays_off_the_direct_stream() -> None:
    alice, stranger = person("alice"), person("stranger")
    conversation, _ = start(alice, stranger, text="Hello")
    time.sleep(PACE)

    def act() -> None:
        with committed():
            message_send(conversation=conversation, sender=alice, text="Are you there?")
        time.sleep(PACE)

    quiet = open_stream("/api/v1/streaming/direct", token=issue_token(stranger, "read"), action=act)
    assert quiet.events() == []
