"""The streaming API's contract, through direct ASGI calls: format, auth, scopes, filtering.

Each test opens a stream with hearth.api.streaming.sse.streaming_app, does
something in another thread (as a request or the task worker would), and
reads what was sent. Events travel over whichever live backend the settings
name: the in-process hub, or Redis when HEARTH_REDIS_URL is set.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from oauth2_provider.models import AccessToken

from hearth.accounts.models import User
from hearth.accounts.services import block_create, mute_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.streaming.connection import pool_shutdown
from hearth.api.tests.conftest import SLOW_MACHINE, issue_token, wait_for_channel_change
from hearth.communities.models import Community
from hearth.communities.services import community_create
from hearth.conftest import committed
from hearth.core import live
from hearth.kindness.filters import keyword_filter_create, keyword_filter_delete
from hearth.kindness.models import KeywordFilter
from hearth.posts.models import Audience, Post
from hearth.posts.services import post_delete, post_edit
from hearth.posts.tests import factories

# The test database is SQLite in memory with a shared cache: a read on the
# stream's thread while this one writes fails with "table is locked" (files
# in WAL mode, as Hearth runs them, let readers through). Each step leaves
# the stream time to render what it published.
PACE = 0.3


def publish(author: User, text: str, **kwargs: Any) -> Post:
    post = factories.publish(author, text, **kwargs)
    time.sleep(PACE)
    return post


pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _live(settings: Any) -> Iterator[None]:
    # Delivery works in-process as in `hearth demo` (or over Redis when set);
    # other test runs may share the Redis server: keep to our own channels.
    settings.HEARTH_LIVE_EMBEDDED = True
    settings.HEARTH_LIVE_KEEPALIVE = 1
    settings.HEARTH_LIVE_PREFIX = f"test-{uuid.uuid4().hex}:live:"
    yield
    pool_shutdown()  # its threads' connections would keep the test database open


class Result:
    def __init__(self, sent: list[dict[str, Any]], ended: bool) -> None:
        self.sent = sent
        self.ended_by_itself = ended

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])

    @property
    def body(self) -> str:
        return b"".join(m.get("body", b"") for m in self.sent[1:]).decode()

    def events(self) -> list[tuple[str, Any]]:
        """(event, payload) of every frame; comments (keepalives) left out."""
        out = []
        for block in self.body.split("\n\n"):
            fields = dict(
                line.split(": ", 1) for line in block.split("\n") if line and ":" in line[1:]
            )
            if "event" in fields:
                data = fields["data"]
                # Mastodon writes an event without payload (filters_changed) as "undefined".
                out.append((fields["event"], None if data == "undefined" else json.loads(data)))
        return out

    def updates(self, event: str = "update") -> list[str]:
        return [payload["id"] for name, payload in self.events() if name == event]


def _closing(action: Callable[[], object]) -> None:
    try:
        action()
    finally:
        connections.close_all()  # this thread's, before the test database is dropped


def open_stream(
    path: str,
    *,
    token: str | None = None,
    query: str = "",
    header: bool = True,
    action: Callable[[], object] | None = None,
    wait: float = 1.0,
    expect: int = 0,
) -> Result:
    """GET `path` on the streaming app, run `action` once subscribed, read for `wait` seconds.

    With `expect`, reading goes on (up to SLOW_MACHINE seconds) until that
    many events have come, then `wait` more for any that should not: on a
    loaded machine each event's rendering may take longer than `wait`. The
    count only decides how long to read; the tests assert what came.
    """
    from hearth.api.streaming.sse import streaming_app

    sent: list[dict[str, Any]] = []
    disconnect = asyncio.Event()
    headers = [(b"host", b"testserver")]
    if token is not None and header:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if token is not None and not header:
        query = f"{query}&access_token={token}" if query else f"access_token={token}"

    async def receive() -> dict[str, Any]:
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def main() -> bool:
        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query.encode(),
            "headers": headers,
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 5000),
            "scheme": "http",
        }
        loop = asyncio.get_running_loop()
        listened = await asyncio.to_thread(live.channels_listened)
        task = asyncio.ensure_future(streaming_app(scope, receive, send))
        # Authorized and subscribed: the stream's channels have a listener.
        await asyncio.to_thread(wait_for_channel_change, listened, task.done)
        if action is not None and not task.done():
            await asyncio.to_thread(_closing, action)
        deadline = loop.time() + SLOW_MACHINE
        while len(Result(sent, False).events()) < expect and loop.time() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(wait)
        ended = task.done()
        disconnect.set()
        await asyncio.wait_for(task, timeout=5)
        return ended

    ended = asyncio.run(main())
    return Result(sent, ended)


def person(name: str) -> User:
    return UserFactory(username=name)


# --- health, auth and the stream's shape --------------------------------------------


def test_health_answers_ok() -> None:
    result = open_stream("/api/v1/streaming/health")
    assert result.status == 200
    assert result.body == "OK"


@pytest.mark.parametrize(
    "scopes", ["write", "read:accounts", "read:notifications write", "push"], ids=str
)
def test_a_token_without_a_reading_scope_is_refused_with_401(scopes: str) -> None:
    # read:notifications opens the user stream, but not a public one.
    token = issue_token(person("reader"), scopes)
    result = open_stream("/api/v1/streaming/public", token=token)
    assert result.status == 401
    assert "error" in json.loads(result.body)


def test_missing_unknown_app_and_revoked_tokens_are_refused_with_401() -> None:
    user = person("reader")
    assert open_stream("/api/v1/streaming/user").status == 401
    assert open_stream("/api/v1/streaming/user", token="not-a-token").status == 401
    assert open_stream("/api/v1/streaming/user", token=issue_token(None, "read")).status == 401
    revoked = issue_token(user, "read")
    AccessToken.objects.all().delete()
    assert open_stream("/api/v1/streaming/user", token=revoked).status == 401
    user.is_active = False
    user.save()
    assert open_stream("/api/v1/streaming/user", token=issue_token(user, "read")).status == 401


def test_unknown_streams_and_missing_parameters() -> None:
    token = issue_token(person("reader"), "read")
    assert open_stream("/api/v1/streaming/nonsense", token=token).status == 404
    assert open_stream("/api/v1/streaming", token=token, query="stream=nope").status == 400
    assert open_stream("/api/v1/streaming/hashtag", token=token).status == 400
    assert open_stream("/api/v1/streaming/list", token=token, query="list=1").status == 404


def test_update_is_framed_as_mastodon_does_with_the_token_in_the_query() -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    token = issue_token(reader, "read")
    posted: list[Post] = []

    result = open_stream(
        "/api/v1/streaming/user",
        token=token,
        header=False,
        action=lambda: posted.append(publish(author, "Seedlings are up")),
        expect=1,
    )
    assert result.status == 200
    assert result.headers[b"content-type"] == b"text/event-stream; charset=utf-8"
    # No `retry:` block: Mastodon clients take every block for an event.
    assert not result.body.startswith("retry")
    frame = next(b for b in result.body.split("\n\n") if b.startswith("event: update"))
    name_line, data_line = frame.split("\n")
    assert name_line == "event: update"
    status = json.loads(data_line.removeprefix("data: "))
    assert status["id"] == str(posted[0].pk)
    assert status["account"]["username"] == "author"
    assert "Seedlings are up" in status["content"]
    assert status["url"].startswith("http://testserver/")


def test_stream_parameter_names_the_stream() -> None:
    reader, author = person("reader"), person("author")
    token = issue_token(reader, "read")
    posted: list[Post] = []
    result = open_stream(
        "/api/v1/streaming/",
        token=token,
        query="stream=hashtag&tag=Garden",
        action=lambda: posted.append(publish(author, "Weeding #garden")),
        expect=1,
    )
    assert result.updates() == [str(posted[0].pk)]


def test_own_posts_edits_and_deletes_reach_the_user_stream() -> None:
    author = person("author")
    token = issue_token(author, "read")
    posted: list[Post] = []

    def act() -> None:
        post = publish(author, "First draft")
        posted.append(post)
        with committed():
            post_edit(post=post, editor=author, text="Second draft", content_warning="", tone="")
        time.sleep(PACE)
        with committed():
            post_delete(post=Post.objects.get(pk=post.pk), actor=author)

    result = open_stream("/api/v1/streaming/user", token=token, action=act, expect=3)
    pk = posted[0].pk
    events = result.events()
    assert [name for name, _ in events] == ["update", "status.update", "delete"]
    assert events[1][1]["id"] == str(pk)
    assert "Second draft" in events[1][1]["content"]
    assert events[1][1]["edited_at"] is not None
    assert events[2][1] == pk  # the bare id, as Mastodon sends it
    assert "event: delete\ndata: " + str(pk) + "\n\n" in result.body


# --- scopes per event ------------------------------------------------------------------


def _reply_and_post(reader: User, author: User, posted: list[Post]) -> Callable[[], None]:
    def act() -> None:
        mine = publish(reader, "Anyone growing beans?")
        posted.append(publish(author, "Me!", in_reply_to=mine))

    return act


@pytest.mark.parametrize(
    ("scopes", "updates", "notifications"),
    [
        ("read", True, True),
        ("read:statuses", True, False),
        ("read:notifications", False, True),
    ],
)
def test_the_user_stream_sends_what_the_scopes_allow(
    scopes: str, updates: bool, notifications: bool
) -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    posted: list[Post] = []
    result = open_stream(
        "/api/v1/streaming/user",
        token=issue_token(reader, scopes),
        action=_reply_and_post(reader, author, posted),
        expect=int(updates) + int(notifications),
    )
    names = [name for name, _ in result.events()]
    assert ("update" in names) is updates
    assert ("notification" in names) is notifications
    if notifications:
        note = next(p for name, p in result.events() if name == "notification")
        assert note["type"] == "mention"
        assert note["account"]["username"] == "author"
        assert note["status"]["id"] == str(posted[0].pk)


def test_the_notification_stream_sends_notifications_only() -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    posted: list[Post] = []
    result = open_stream(
        "/api/v1/streaming/user/notification",
        token=issue_token(reader, "read:notifications"),
        action=_reply_and_post(reader, author, posted),
        expect=1,
    )
    assert [name for name, _ in result.events()] == ["notification"]


# --- who sees what on public streams ---------------------------------------------------


def test_public_streams_carry_only_public_posts_of_public_places() -> None:
    reader, author, muted, blocked = (person(n) for n in ("reader", "author", "muted", "blocked"))
    follow(reader, author)
    mute_create(muter=reader, muted=muted)
    block_create(blocker=blocked, blocked=reader)
    private = community_create(
        creator=author,
        name="Quiet room",
        slug="quiet-room",
        description="Private",
        who_for="Members",
        visibility=Community.Visibility.PRIVATE,
        join_policy=Community.JoinPolicy.APPROVAL,
        rules=["Be kind"],
    )
    own_private = community_create(
        creator=reader,
        name="My room",
        slug="my-room",
        description="Private",
        who_for="Members",
        visibility=Community.Visibility.PRIVATE,
        join_policy=Community.JoinPolicy.APPROVAL,
        rules=["Be kind"],
    )
    shown: list[Post] = []
    hidden: list[Post] = []

    def act() -> None:
        shown.append(publish(author, "Open to all #garden"))
        hidden.append(publish(author, "Followers only #garden", audience=Audience.FOLLOWERS))
        hidden.append(publish(author, "Unlisted #garden", audience=Audience.UNLISTED))
        hidden.append(publish(author, "Inside #garden", community_id=private.pk))
        hidden.append(publish(reader, "Mine, inside #garden", community_id=own_private.pk))
        hidden.append(publish(muted, "Muted #garden"))
        hidden.append(publish(blocked, "Blocked #garden"))
        # Even if a publisher put them on the public channels, the stream checks.
        for post in hidden:
            live.publish_many(["public", "hashtag:garden"], "status.new", {"post": str(post.pk)})
        time.sleep(PACE)
        shown.append(publish(reader, "Mine, public #garden"))

    for path, query in [
        ("/api/v1/streaming/public", ""),
        ("/api/v1/streaming/public/local", ""),
        ("/api/v1/streaming/hashtag", "tag=garden"),
    ]:
        shown.clear()
        hidden.clear()
        result = open_stream(
            path, token=issue_token(reader, "read"), query=query, action=act, expect=2
        )
        assert result.updates() == [str(p.pk) for p in shown], path


def test_the_user_stream_leaves_out_muted_authors() -> None:
    reader, author = person("reader"), person("author")
    follow(reader, author)
    mute_create(muter=reader, muted=author)
    result = open_stream(
        "/api/v1/streaming/user",
        token=issue_token(reader, "read"),
        action=lambda: publish(author, "You will not hear this"),
    )
    assert result.updates() == []


def test_hashtag_streams_carry_only_their_tag_and_only_media_needs_a_photo() -> None:
    reader, author = person("reader"), person("author")
    posted: list[Post] = []
    result = open_stream(
        "/api/v1/streaming/hashtag/local",
        token=issue_token(reader, "read:statuses"),
        query="tag=beans",
        action=lambda: posted.extend(
            [publish(author, "About #peas"), publish(author, "About #beans")]
        ),
        expect=1,
    )
    assert result.updates() == [str(posted[1].pk)]
    media_only = open_stream(
        "/api/v1/streaming/public",
        token=issue_token(reader, "read:statuses"),
        query="only_media=true",
        action=lambda: publish(author, "No photo here"),
    )
    assert media_only.status == 200
    assert media_only.updates() == []


# --- a revoked token -------------------------------------------------------------------


def test_a_revoked_tokens_stream_closes_within_the_keepalive_interval() -> None:
    token = issue_token(person("reader"), "read")
    result = open_stream(
        "/api/v1/streaming/user",
        token=token,
        action=lambda: AccessToken.objects.filter(token=token).delete(),
        wait=2.5,
    )
    assert result.status == 200
    assert result.ended_by_itself
    assert result.sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_an_open_stream_stays_open_while_the_token_is_valid() -> None:
    token = issue_token(person("reader"), "read")
    result = open_stream("/api/v1/streaming/user", token=token, wait=2.5)
    assert result.status == 200
    assert not result.ended_by_itself
    assert result.body.startswith(": keepalive\n\n")


# --- where clients are told to stream ----------------------------------------------------


def test_the_instance_names_the_streaming_url(settings: Any, api_for: Any) -> None:
    client = api_for(None)
    v1 = lambda **extra: client.get("/api/v1/instance", **extra).json()["urls"]  # noqa: E731
    v2 = lambda **extra: client.get("/api/v2/instance", **extra).json()["configuration"]["urls"]  # noqa: E731
    # `hearth demo`, or a reverse proxy routing /api/v1/streaming: the same origin.
    assert v1()["streaming_api"] == "ws://testserver"
    assert v2(secure=True)["streaming"] == "wss://testserver"
    # Straight to `hearth serve`'s WSGI port: its ASGI listener's port.
    settings.HEARTH_LIVE_EMBEDDED = False
    settings.HEARTH_PORT, settings.HEARTH_LIVE_PORT = 8000, 8001
    settings.ALLOWED_HOSTS = ["hearth.example"]
    assert v1(HTTP_HOST="hearth.example:8000")["streaming_api"] == "ws://hearth.example:8001"
    assert v1(HTTP_HOST="hearth.example")["streaming_api"] == "ws://hearth.example"
    settings.HEARTH_STREAMING_URL = "wss://streaming.hearth.example/"
    assert v2(HTTP_HOST="hearth.example")["streaming"] == "wss://streaming.hearth.example"


def test_a_share_reaches_followers_user_streams_as_a_reblog_and_its_undoing_as_a_delete() -> None:
    from hearth.posts.boosts import boost_create, boost_remove

    reader, booster, author = person("reader"), person("booster"), person("author")
    follow(reader, booster)
    post = factories.publish(author, "Worth passing on")
    shares: list[int] = []

    def act() -> None:
        with committed():
            shares.append(boost_create(booster=booster, post=Post.objects.get(pk=post.pk)).pk)
        time.sleep(PACE)
        with committed():
            boost_remove(booster=booster, post=post)

    result = open_stream(
        "/api/v1/streaming/user", token=issue_token(reader, "read"), action=act, expect=2
    )
    events = result.events()
    assert [name for name, _ in events] == ["update", "delete"]
    update = events[0][1]
    assert update["id"] == str(shares[0])
    assert update["account"]["username"] == "booster"
    assert update["reblog"]["id"] == str(post.pk)
    assert update["reblog"]["account"]["username"] == "author"
    assert events[1][1] == shares[0]


def test_a_share_of_a_muted_authors_post_stays_off_the_user_stream() -> None:
    from hearth.posts.boosts import boost_create

    reader, booster, author = person("reader"), person("booster"), person("author")
    follow(reader, booster)
    mute_create(muter=reader, muted=author)
    post = factories.publish(author, "Muted, even when shared")

    def act() -> None:
        with committed():
            boost_create(booster=booster, post=Post.objects.get(pk=post.pk))

    result = open_stream("/api/v1/streaming/user", token=issue_token(reader, "read"), action=act)
    assert result.updates() == []


# --- keyword filters ----------------------------------------------------------------------


def _add_filter(owner: User, phrase: str) -> KeywordFilter:
    with committed():
        return keyword_filter_create(
            owner=owner,
            phrase=phrase,
            whole_word=True,
            action=KeywordFilter.Action.WARN,
            contexts=[KeywordFilter.Context.HOME],
            expiry="never",
        )


def test_changing_ones_filters_sends_filters_changed_on_the_user_stream_only() -> None:
    reader, other = person("reader"), person("other")
    token = issue_token(reader, "read")

    def act() -> None:
        made = _add_filter(reader, "spoilers")
        _add_filter(other, "spoilers")
        time.sleep(PACE)
        with committed():
            keyword_filter_delete(owner=reader, filter_id=made.pk)
        time.sleep(PACE)

    result = open_stream("/api/v1/streaming/user", token=token, action=act, expect=2)
    # One for the new filter, one for its deletion; none for someone else's filter.
    assert result.events() == [("filters_changed", None), ("filters_changed", None)]
    assert "event: filters_changed\ndata: undefined\n\n" in result.body
    quiet = open_stream(
        "/api/v1/streaming/user/notification",
        token=token,
        action=lambda: _add_filter(reader, "finale"),
    )
    assert quiet.events() == []
