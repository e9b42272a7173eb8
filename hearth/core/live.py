"""Live updates: publish small JSON events on named channels, subscribe to them asynchronously.

No domain knowledge lives here. Channels are plain strings chosen by the
apps: `user:<id>` for everything addressed to one person (messages,
notifications, the "new posts" marker), and later `public` or
`hashtag:<tag>` for the Mastodon streaming API. Only ids and already
rendered, already authorized fragments travel on a channel: whoever
publishes decides who may receive what by choosing the channel.

Two backends, chosen by settings at call time:

* Redis pub/sub when HEARTH_REDIS_URL is set: any number of web, worker and
  live processes on any number of machines see every event.
* In-process otherwise: a hub of asyncio queues in this Python process. It is
  only correct when the publishers (web threads, the task worker) and the
  SSE listener share one process, which is the embedded mode of
  `hearth demo` (docs/live.md). In any other layout without Redis, live
  updates are simply not delivered; pages still work.

Both keep a short backlog per channel so a client that reconnects with
`Last-Event-ID` gets what it missed in the last few minutes ("where cheap":
one LPUSH + LTRIM per publish on Redis).

`publish` is synchronous and never raises: call it from event subscribers,
after commit. A live update is a courtesy; losing one must not fail the
request that caused it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from hearth.core.ids import snowflake

logger = logging.getLogger(__name__)

BACKLOG_SIZE = 50
BACKLOG_SECONDS = 300


@dataclass(frozen=True)
class LiveEvent:
    """One event on one channel. `id` sorts by time (a snowflake, as text)."""

    id: str
    channel: str
    event: str
    data: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(
            {"id": self.id, "channel": self.channel, "event": self.event, "data": self.data},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> LiveEvent:
        body = json.loads(raw)
        return cls(
            id=str(body["id"]),
            channel=str(body["channel"]),
            event=str(body["event"]),
            data=dict(body["data"]),
        )


def _newer(event_id: str, than: str | None) -> bool:
    if not than:
        return True
    try:
        return int(event_id) > int(than)
    except ValueError:
        return True


def redis_url() -> str:
    url: str = getattr(settings, "REDIS_URL", "") or ""
    return url


def _prefix() -> str:
    prefix: str = getattr(settings, "HEARTH_LIVE_PREFIX", "hearth:live:")
    return prefix


def backend_name() -> str:
    """ "redis" or "memory": which backend publish and subscribe use right now."""
    return "redis" if redis_url() else "memory"


# --- in-process backend -------------------------------------------------------


class _Hub:
    """Subscribers of this process: (event loop, queue) pairs per channel.

    Publishing may happen on any thread (a request thread, the task worker
    thread); each queue is only touched on its own loop, through
    call_soon_threadsafe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: defaultdict[
            str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[LiveEvent]]]
        ]
        self._subs = defaultdict(set)
        self._backlog: defaultdict[str, deque[tuple[float, LiveEvent]]] = defaultdict(
            lambda: deque(maxlen=BACKLOG_SIZE)
        )

    def publish(self, event: LiveEvent) -> None:
        with self._lock:
            self._backlog[event.channel].append((time.monotonic(), event))
            targets = list(self._subs.get(event.channel, ()))
        for loop, queue in targets:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(queue.put_nowait, event)

    def add(
        self,
        channels: Sequence[str],
        loop: asyncio.AbstractEventLoop,
        queue: asyncio.Queue[LiveEvent],
    ) -> None:
        with self._lock:
            for channel in channels:
                self._subs[channel].add((loop, queue))

    def remove(
        self,
        channels: Sequence[str],
        loop: asyncio.AbstractEventLoop,
        queue: asyncio.Queue[LiveEvent],
    ) -> None:
        with self._lock:
            for channel in channels:
                subs = self._subs.get(channel)
                if subs is not None:
                    subs.discard((loop, queue))
                    if not subs:
                        del self._subs[channel]

    def backlog(self, channels: Sequence[str], after: str) -> list[LiveEvent]:
        cutoff = time.monotonic() - BACKLOG_SECONDS
        with self._lock:
            found = [
                event
                for channel in channels
                for at, event in self._backlog.get(channel, ())
                if at >= cutoff and _newer(event.id, after)
            ]
        return sorted(found, key=lambda e: int(e.id))

    def subscriber_count(self, channel: str) -> int:
        with self._lock:
            return len(self._subs.get(channel, ()))

    def channels(self) -> set[str]:
        with self._lock:
            return set(self._subs)


# Deliberately module-level: this is the in-process backend, valid only in the
# one-process embedded mode (see the module docstring). Redis replaces it
# whenever HEARTH_REDIS_URL is set.
_hub = _Hub()


# --- Redis backend ------------------------------------------------------------

_redis_clients: dict[str, Any] = {}
_redis_lock = threading.Lock()


def _redis_client(url: str) -> Any:
    """One connection pool per URL per process (the pool itself is thread-safe)."""
    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            _redis_clients[url] = client
        return client


# --- the API ------------------------------------------------------------------


def publish(channel: str, event: str, data: dict[str, Any] | None = None) -> LiveEvent:
    """Send `event` with JSON-able `data` to everyone subscribed to `channel` now.

    Returns the event (with its id). Never raises: a failure is logged, since
    the change that caused the event is already committed and pages show it.
    """
    return publish_many([channel], event, data)[0]


def publish_many(
    channels: Iterable[str], event: str, data: dict[str, Any] | None = None
) -> list[LiveEvent]:
    """The same event on many channels, in one round trip to Redis."""
    events = [
        LiveEvent(id=str(snowflake()), channel=channel, event=event, data=data or {})
        for channel in channels
    ]
    if not events:
        return events
    url = redis_url()
    try:
        if url:
            key_prefix = _prefix()
            pipe = _redis_client(url).pipeline(transaction=False)
            for item in events:
                key = f"{key_prefix}{item.channel}"
                payload = item.to_json()
                pipe.lpush(f"{key}:backlog", payload)
                pipe.ltrim(f"{key}:backlog", 0, BACKLOG_SIZE - 1)
                pipe.expire(f"{key}:backlog", BACKLOG_SECONDS)
                pipe.publish(key, payload)
            pipe.execute()
        else:
            for item in events:
                _hub.publish(item)
    except Exception:  # Redis down or slow: pages still show everything
        logger.warning("Could not publish live event %s", event, exc_info=True)
    return events


async def subscribe(
    channels: Sequence[str], *, last_event_id: str | None = None
) -> AsyncIterator[LiveEvent]:
    """Yield events published on `channels` from now on, until the caller stops iterating.

    With `last_event_id`, events of the last BACKLOG_SECONDS newer than it
    come first (reconnecting clients). The subscription is in place before
    the backlog is read, so nothing falls between the two; duplicates are
    dropped by id. Raises the backend's error if Redis cannot be reached.
    """
    channels = list(dict.fromkeys(channels))
    url = redis_url()
    if url:
        source = _redis_subscribe(url, channels, last_event_id)
    else:
        source = _memory_subscribe(channels, last_event_id)
    async for event in source:
        yield event


async def _memory_subscribe(
    channels: list[str], last_event_id: str | None
) -> AsyncIterator[LiveEvent]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[LiveEvent] = asyncio.Queue(maxsize=1000)
    _hub.add(channels, loop, queue)
    try:
        seen: set[str] = set()
        if last_event_id:
            for event in _hub.backlog(channels, last_event_id):
                seen.add(event.id)
                yield event
        while True:
            event = await queue.get()
            if event.id in seen:
                continue
            yield event
    finally:
        _hub.remove(channels, loop, queue)


async def _redis_subscribe(
    url: str, channels: list[str], last_event_id: str | None
) -> AsyncIterator[LiveEvent]:
    import redis.asyncio as aredis

    prefix = _prefix()
    client = aredis.Redis.from_url(url, socket_connect_timeout=2)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(*(f"{prefix}{c}" for c in channels))
        seen: set[str] = set()
        if last_event_id:
            missed: list[LiveEvent] = []
            for channel in channels:
                for raw in await client.lrange(f"{prefix}{channel}:backlog", 0, -1):
                    event = LiveEvent.from_json(raw)
                    if _newer(event.id, last_event_id):
                        missed.append(event)
            for event in sorted(missed, key=lambda e: int(e.id)):
                seen.add(event.id)
                yield event
        while True:
            message = await pubsub.get_message(timeout=30.0)
            if message is None or message.get("type") != "message":
                continue
            event = LiveEvent.from_json(message["data"])
            if event.id in seen:
                continue
            yield event
    finally:
        with contextlib.suppress(Exception):
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]
        with contextlib.suppress(Exception):
            await client.aclose()


def listening(channels: Iterable[str]) -> set[str]:
    """Those of `channels` someone is subscribed to right now, in one round trip to Redis.

    For publishers whose events cost work per recipient (a count each):
    nobody listening, nothing to compute. A page reconnecting at that moment
    misses the event (its backlog has nothing) and shows the change on its
    next event or load. If Redis cannot answer, every channel counts as
    listened to, so nothing is skipped for a fault.
    """
    wanted = list(dict.fromkeys(channels))
    if not wanted:
        return set()
    url = redis_url()
    if not url:
        return {c for c in wanted if _hub.subscriber_count(c)}
    key_prefix = _prefix()
    try:
        counts = _redis_client(url).pubsub_numsub(*(f"{key_prefix}{c}" for c in wanted))
    except Exception:
        logger.warning("Could not ask Redis who listens", exc_info=True)
        return set(wanted)
    listened = {name.decode() if isinstance(name, bytes) else str(name) for name, n in counts if n}
    return {c for c in wanted if f"{key_prefix}{c}" in listened}


def channels_listened() -> set[str]:
    """Every channel someone is subscribed to right now (tests, diagnostics).

    On Redis, those under this deployment's prefix (PUBSUB CHANNELS); in
    process, the hub's.
    """
    url = redis_url()
    if not url:
        return _hub.channels()
    key_prefix = _prefix()
    names = _redis_client(url).pubsub_channels(f"{key_prefix}*")
    return {(n.decode() if isinstance(n, bytes) else str(n))[len(key_prefix) :] for n in names}


def delivers() -> bool:
    """True when a published event can reach a subscriber: Redis, or the embedded one-process mode.

    Publishers skip the work of finding recipients otherwise.
    """
    return bool(redis_url() or settings.HEARTH_LIVE_EMBEDDED)


def page_url() -> str:
    """Where pages should open their EventSource, or "" when nothing would arrive there.

    Live updates need Redis, or the one-process embedded mode of `hearth demo`.
    """
    url: str = settings.HEARTH_LIVE_URL
    if not url or not (redis_url() or settings.HEARTH_LIVE_EMBEDDED):
        return ""
    return url
