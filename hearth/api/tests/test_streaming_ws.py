"""The streaming API over WebSocket, as Elk, Phanpy, Ivory and Mona use it.

A real server (granian, in this process: asgi_server) and a real client
(the `websockets` package). What each person may get is decided by the
same code as for SSE (test_streaming.py covers it in depth); these tests
check the WebSocket transport: the handshake and its token, the frames,
subscribing and unsubscribing on one socket, errors, and a revoked token.
Events travel over whichever live backend the settings name: the
in-process hub, or Redis when HEARTH_REDIS_URL is set.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from oauth2_provider.models import AccessToken
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from hearth.accounts.models import User
from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import SLOW_MACHINE, issue_token, wait_for_channel_change
from hearth.conftest import committed
from hearth.core import live
from hearth.posts.models import Audience, Post
from hearth.posts.tests import factories

# Time for the server to subscribe (or render) before the next step: the
# client cannot tell when a subscription is in place, Mastodon sends no ack.
SETTLE = 0.6


@pytest.fixture(autouse=True)
def _own_channels(settings: Any) -> None:
    # Other test runs may share the Redis server: keep to our own channels.
    settings.HEARTH_LIVE_PREFIX = f"test-{uuid.uuid4().hex}:live:"


def person(name: str) -> User:
    return UserFactory(username=name)


def publish(author: User, text: str, **kwargs: Any) -> Post:
    post = factories.publish(author, text, **kwargs)
    time.sleep(SETTLE)
    return post


@contextmanager
def socket(
    base: str,
    token: str | None = None,
    *,
    query: str = "",
    how: str = "query",
    path: str = "/api/v1/streaming",
    subscribes: bool | None = None,
) -> Iterator[ClientConnection]:
    """A WebSocket to the streaming API; the token in the query, a header or the subprotocol.

    When the query names a stream (or `subscribes`), it waits until the
    server has subscribed to it.
    """
    headers: dict[str, str] = {}
    subprotocols: list[Any] | None = None
    if token is not None and how == "query":
        query = f"{query}&access_token={token}" if query else f"access_token={token}"
    elif token is not None and how == "header":
        headers["Authorization"] = f"Bearer {token}"
    elif token is not None:
        subprotocols = [token]
    url = base.replace("http://", "ws://") + path + (f"?{query}" if query else "")
    listened = live.channels_listened()
    with connect(url, additional_headers=headers, subprotocols=subprotocols, open_timeout=10) as ws:
        # Authorized, and the `stream=` subscription in place.
        settle(listened, changes="stream=" in query if subscribes is None else subscribes)
        yield ws


def settle(listened: set[str], *, changes: bool) -> None:
    """Wait until the channels listened to differ from `listened`, or SETTLE
    seconds when nothing is to change (a refused subscription)."""
    if changes:
        wait_for_channel_change(listened)
    else:
        time.sleep(SETTLE)


def send(ws: ClientConnection, *, changes: bool | None = None, **message: Any) -> None:
    """Send `message`; a subscribe or unsubscribe waits until the server has done it
    (`changes=False` for one that changes nothing: refused, or a repeat)."""
    listened = live.channels_listened()
    ws.send(json.dumps(message))
    if changes is None:
        changes = message.get("type") in ("subscribe", "unsubscribe")
    settle(listened, changes=changes)


def received(ws: ClientConnection, seconds: float = 1.5, expect: int = 0) -> list[dict[str, Any]]:
    """Every message that arrives within `seconds`, decoded; with `expect`, first
    waits up to SLOW_MACHINE seconds for that many (on a loaded machine rendering
    may lag), then `seconds` more. The count only sets how long to read."""
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + SLOW_MACHINE
    while len(out) < expect and (left := deadline - time.monotonic()) > 0:
        try:
            out.append(json.loads(ws.recv(timeout=left)))
        except TimeoutError:
            break
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            raw = ws.recv(timeout=left)
        except TimeoutError:
            break
        out.append(json.loads(raw))
    return out


def updates(frames: list[dict[str, Any]]) -> list[tuple[list[str], str]]:
    """(stream, status id) of every `update` frame."""
    return [
        (f["stream"], json.loads(f["payload"])["id"]) for f in frames if f.get("event") == "update"
    ]


def refusal(base: str, token: str | None, **kwargs: Any) -> InvalidStatus:
    with pytest.raises(InvalidStatus) as refused, socket(base, token, **kwargs):
        pass
    return refused.value


# --- frames ----------------------------------------------------------------------------


def test_a_followed_persons_post_arrives_as_an_update_frame_on_user(asgi_server: str) -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    with socket(asgi_server, issue_token(reader, "read"), query="stream=user") as ws:
        post = publish(author, "The seedlings are up")
        frames = received(ws, expect=1)
    update = next(f for f in frames if f["event"] == "update")
    assert set(update) == {"stream", "event", "payload"}
    assert update["stream"] == ["user"]
    # The payload is the status as JSON text inside the JSON message, as Mastodon sends it.
    assert isinstance(update["payload"], str)
    status = json.loads(update["payload"])
    assert status["id"] == str(post.pk)
    assert status["account"]["username"] == "author"
    assert status["url"].startswith("http://127.0.0.1:")  # pages' URLs, not ws://


def test_a_delete_carries_the_bare_id(asgi_server: str) -> None:
    from hearth.posts.services import post_delete

    author = person("author")
    post = factories.publish(author, "Soon gone")
    with socket(asgi_server, issue_token(author, "read"), query="stream=user") as ws:
        with committed():
            post_delete(post=post, actor=author)
        frames = received(ws, expect=1)
    assert {"stream": ["user"], "event": "delete", "payload": str(post.pk)} in frames


def test_a_notification_arrives_on_user_and_user_notification(asgi_server: str) -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    mine = factories.publish(reader, "Anyone growing beans?")
    with socket(asgi_server, issue_token(reader, "read"), query="stream=user:notification") as ws:
        reply = publish(author, "Me!", in_reply_to=mine)
        frames = received(ws, expect=1)
    assert [f["event"] for f in frames] == ["notification"]
    assert frames[0]["stream"] == ["user:notification"]
    note = json.loads(frames[0]["payload"])
    assert note["type"] == "mention"
    assert note["account"]["username"] == "author"
    assert note["status"]["id"] == str(reply.pk)


def test_a_filter_change_arrives_as_filters_changed_without_payload(asgi_server: str) -> None:
    from hearth.kindness.filters import keyword_filter_create

    reader = person("reader")
    with socket(asgi_server, issue_token(reader, "read"), query="stream=user") as ws:
        with committed():
            keyword_filter_create(
                owner=reader,
                phrase="spoilers",
                whole_word=True,
                action="hide",
                contexts=["home"],
                expiry="never",
            )
        frames = received(ws, expect=1)
    # No payload key at all, as Mastodon sends it over WebSocket.
    assert frames == [{"stream": ["user"], "event": "filters_changed"}]


# --- several streams on one socket ------------------------------------------------------


def test_subscribe_and_unsubscribe_a_hashtag_on_one_socket(asgi_server: str) -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    with socket(asgi_server, issue_token(reader, "read"), how="header") as ws:
        before = publish(author, "Nobody asked yet #garden")
        send(ws, type="subscribe", stream="hashtag", tag="Garden")
        # The same stream: once.
        send(ws, type="subscribe", stream="hashtag", tag="garden", changes=False)
        send(ws, type="subscribe", stream="user")
        tagged = publish(author, "Weeding #garden")
        untagged = publish(author, "Just weeding")
        send(ws, type="unsubscribe", stream="hashtag", tag="Garden")
        after = publish(author, "Still weeding #garden")
        frames = received(ws, expect=4)
    # Each stream sends on its own: the two frames of one post may come in either order.
    assert sorted(updates(frames)) == sorted(
        [
            (["hashtag", "Garden"], str(tagged.pk)),
            (["user"], str(tagged.pk)),
            (["user"], str(untagged.pk)),
            (["user"], str(after.pk)),
        ]
    )
    assert str(before.pk) not in {pk for _, pk in updates(frames)}


def test_an_unknown_stream_gets_an_error_frame_and_the_socket_goes_on(asgi_server: str) -> None:
    reader, author = person("reader"), person("author")
    token = issue_token(reader, "read")
    with socket(asgi_server, token, query="stream=nonsense", subscribes=False) as ws:
        send(ws, type="subscribe", stream="hashtag", changes=False)  # no tag
        send(ws, type="subscribe", stream="list", list="999999", changes=False)  # nobody's
        ws.send("not json")
        send(ws, type="dance", stream="public")
        send(ws, type="subscribe", stream="public")
        post = publish(author, "Still listening?")
        frames = received(ws, expect=4)
    errors = [f for f in frames if "error" in f]
    assert errors == [
        {"error": "Unknown stream type", "status": 400},
        {"error": "Missing tag name parameter", "status": 400},
        {"error": errors[2]["error"], "status": 404},
    ]
    assert updates(frames) == [(["public"], str(post.pk))]


def test_a_stream_outside_the_tokens_scopes_gets_an_error_frame(asgi_server: str) -> None:
    reader = person("reader")
    with socket(
        asgi_server,
        issue_token(reader, "read:notifications"),
        query="stream=public",
        subscribes=False,
    ) as ws:
        frames = received(ws, 0.5)
    assert frames == [{"error": frames[0]["error"], "status": 401}]


# --- who sees what ---------------------------------------------------------------------


def test_posts_the_person_may_not_see_never_arrive(asgi_server: str) -> None:
    reader, blocker, stranger, friend = (
        person(n) for n in ("reader", "blocker", "stranger", "friend")
    )
    follow(reader, friend)
    follow(reader, blocker)
    with committed():
        block_create(blocker=blocker, blocked=reader)
    hidden = [
        factories.publish(blocker, "You are blocked #garden"),
        factories.publish(stranger, "For my followers #garden", audience=Audience.FOLLOWERS),
    ]
    token = issue_token(reader, "read")
    with socket(asgi_server, token, query="stream=user") as ws:
        send(ws, type="subscribe", stream="public")
        send(ws, type="subscribe", stream="hashtag", tag="garden")
        # Even if a publisher put them on the reader's channels, the socket checks.
        for post in hidden:
            channels = [f"user:{reader.pk}", "public", "hashtag:garden"]
            live.publish_many(channels, "status.new", {"post": str(post.pk)})
        time.sleep(SETTLE)
        hidden.append(publish(blocker, "Blocked, live #garden"))
        hidden.append(
            publish(stranger, "Followers only, live #garden", audience=Audience.FOLLOWERS)
        )
        shown = publish(friend, "Hello #garden")
        frames = received(ws, expect=1)
    heard = {pk for _, pk in updates(frames)}
    assert heard == {str(shown.pk)}
    assert not heard & {str(p.pk) for p in hidden}


# --- the token -------------------------------------------------------------------------


def test_a_missing_or_bad_token_is_refused_with_401(asgi_server: str) -> None:
    for token in (None, "not-a-token", issue_token(None, "read")):
        refused = refusal(asgi_server, token, query="stream=user")
        assert refused.response.status_code == 401
        assert "error" in json.loads(refused.response.body or b"{}")


def test_only_the_streaming_path_speaks_websocket(asgi_server: str) -> None:
    token = issue_token(person("reader"), "read")
    refused = refusal(asgi_server, token, path="/api/v1/streaming/user")
    assert refused.response.status_code == 404
    # The trailing slash is the same endpoint.
    with socket(asgi_server, token, path="/api/v1/streaming/") as ws:
        send(ws, type="subscribe", stream="user")
        assert received(ws, 0.3) == []


def test_the_token_in_sec_websocket_protocol_is_accepted_and_echoed(asgi_server: str) -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    token = issue_token(reader, "read")
    with socket(asgi_server, token, how="subprotocol", query="stream=user") as ws:
        # Browsers drop a socket whose server picks none of the offered subprotocols.
        assert ws.subprotocol == token
        post = publish(author, "Hello from the protocol header")
        frames = received(ws, expect=1)
    assert updates(frames) == [(["user"], str(post.pk))]


def test_a_revoked_tokens_socket_is_closed(asgi_server: str, settings: Any) -> None:
    token = issue_token(person("reader"), "read")
    with socket(asgi_server, token, query="stream=user") as ws:
        AccessToken.objects.filter(token=token).delete()
        started = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=3 * settings.HEARTH_LIVE_KEEPALIVE + 2)
        assert time.monotonic() - started <= 2 * settings.HEARTH_LIVE_KEEPALIVE + 1
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1000


def test_a_valid_tokens_socket_stays_open(asgi_server: str, settings: Any) -> None:
    token = issue_token(person("reader"), "read")
    with socket(asgi_server, token, query="stream=user") as ws:
        assert received(ws, 2 * settings.HEARTH_LIVE_KEEPALIVE + 0.5) == []
        ws.ping().wait(timeout=2)
