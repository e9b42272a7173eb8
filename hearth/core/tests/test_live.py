"""core.live (both backends) and the /live ASGI endpoint, without a browser."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import uuid
from typing import Any

import pytest

from hearth.core import live


def redis_available() -> bool:
    url = os.environ.get("HEARTH_REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        if os.environ.get("HEARTH_REDIS_URL"):
            raise
        return False
    return True


@pytest.fixture(params=["memory", "redis"])
def backend(request: pytest.FixtureRequest, settings: Any) -> str:
    if request.param == "redis":
        if not redis_available():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.REDIS_URL = os.environ.get("HEARTH_REDIS_URL") or "redis://127.0.0.1:6379/0"
    else:
        settings.REDIS_URL = ""
    # Other test runs may share the Redis server: keep to our own channels.
    settings.HEARTH_LIVE_PREFIX = f"test-{uuid.uuid4().hex}:live:"
    return str(request.param)


async def _collect(channels: list[str], n: int, publish: Any, last: str | None = None) -> list[Any]:
    got: list[Any] = []

    async def reader() -> None:
        async for event in live.subscribe(channels, last_event_id=last):
            got.append(event)
            if len(got) == n:
                return

    task = asyncio.ensure_future(reader())
    await asyncio.sleep(0.2)  # subscribed
    # Published from another thread, as a request or the task worker would.
    thread = threading.Thread(target=publish)
    thread.start()
    await asyncio.wait_for(task, timeout=5)
    thread.join()
    return got


def test_publish_reaches_subscribers_of_that_channel_only(backend: str) -> None:
    def publish() -> None:
        live.publish("user:2", "message", {"secret": True})
        live.publish("user:1", "message", {"n": 1})
        live.publish_many(["user:1", "user:3"], "feed", {"post": "9"})

    got = asyncio.run(_collect(["user:1"], 2, publish))
    assert [(e.channel, e.event, e.data) for e in got] == [
        ("user:1", "message", {"n": 1}),
        ("user:1", "feed", {"post": "9"}),
    ]
    assert int(got[0].id) < int(got[1].id)


def test_reconnecting_with_last_event_id_replays_what_was_missed(backend: str) -> None:
    first = live.publish("user:5", "message", {"n": 1})
    live.publish("user:5", "message", {"n": 2})
    live.publish("user:5", "message", {"n": 3})

    def publish() -> None:
        live.publish("user:5", "message", {"n": 4})

    got = asyncio.run(_collect(["user:5"], 3, publish, last=first.id))
    assert [e.data["n"] for e in got] == [2, 3, 4]


def test_listening_names_the_channels_someone_is_subscribed_to_now(backend: str) -> None:
    seen: list[set[str]] = []

    async def main() -> None:
        async def read() -> None:
            async for _ in live.subscribe(["user:1", "user:2"]):
                pass

        task = asyncio.ensure_future(read())
        await asyncio.sleep(0.2)  # subscribed
        seen.append(await asyncio.to_thread(live.listening, ["user:1", "user:2", "user:3"]))
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.1)
        seen.append(await asyncio.to_thread(live.listening, ["user:1", "user:2", "user:3"]))

    asyncio.run(main())
    assert seen == [{"user:1", "user:2"}, set()]


def test_listening_counts_every_channel_when_redis_cannot_answer(settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert live.listening(["user:1", "user:2"]) == {"user:1", "user:2"}


def test_publish_never_raises_when_redis_is_down(settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    event = live.publish("user:1", "message", {})
    assert event.event == "message"


def test_page_url_only_when_something_can_arrive(settings: Any) -> None:
    settings.REDIS_URL = ""
    settings.HEARTH_LIVE_EMBEDDED = False
    assert live.page_url() == ""
    settings.HEARTH_LIVE_EMBEDDED = True
    assert live.page_url() == "/live"
    settings.HEARTH_LIVE_URL = ""
    assert live.page_url() == ""


# --- the ASGI endpoint -----------------------------------------------------------


def _call(scope_extra: dict[str, Any], *, publish: Any = None, wait: float = 0.6) -> list[Any]:
    from hearth.core.sse import live_app

    sent: list[Any] = []
    disconnect = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def main() -> None:
        scope = {"type": "http", "method": "GET", "path": "/live", "headers": [], **scope_extra}
        task = asyncio.ensure_future(live_app(scope, receive, send))
        await asyncio.sleep(0.3)
        if publish is not None:
            await asyncio.to_thread(publish)
        await asyncio.sleep(wait)
        disconnect.set()
        await asyncio.wait_for(task, timeout=5)

    asyncio.run(main())
    return sent


@pytest.mark.django_db(transaction=True)
def test_live_endpoint_refuses_without_a_session(settings: Any) -> None:
    settings.REDIS_URL = ""
    sent = _call({"headers": [(b"cookie", b"sessionid=forged")]})
    assert sent[0]["status"] == 401
    assert _call({})[0]["status"] == 401
    assert _call({"path": "/elsewhere"})[0]["status"] == 404


@pytest.mark.django_db(transaction=True)
def test_live_endpoint_streams_the_signed_in_persons_events(
    backend: str, settings: Any, client: Any
) -> None:
    from django.contrib.auth import get_user_model

    settings.HEARTH_LIVE_KEEPALIVE = 1
    user = get_user_model().objects.create_user("sse", "sse@example.org", "pw-long-enough-1")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def publish() -> None:
        live.publish(f"user:{user.pk}", "message", {"text": "hi"})
        live.publish("user:999999", "message", {"text": "not yours"})

    sent = _call({"headers": [(b"cookie", cookie.encode())]}, publish=publish, wait=1.5)
    assert sent[0]["status"] == 200
    assert (b"content-type", b"text/event-stream; charset=utf-8") in sent[0]["headers"]
    body = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    assert body.startswith("retry: ")
    assert 'event: message\ndata: {"text":"hi"}\n\n' in body
    assert "\nid: " in body
    assert "not yours" not in body
    assert ": keepalive" in body
