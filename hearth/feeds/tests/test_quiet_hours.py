"""Quiet hours and digests as the person sees them: held notifications, one summary after.

The person's quiet hours are set around the real clock in their own zone,
so the pages, the header count, the client API's list and the live ping all
answer from the same rules (hearth.wellbeing.quiet).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.tests.factories import UserFactory
from hearth.core import live
from hearth.core.testing import page_ok as page
from hearth.feeds.live import announce_notification, announce_released
from hearth.feeds.models import Notification
from hearth.feeds.selectors import Window, notifications_window, unread_count
from hearth.messaging.tests.test_browser import live_backend
from hearth.posts.tests.factories import publish
from hearth.wellbeing.models import Preferences
from hearth.wellbeing.periodic import releases_tick
from hearth.wellbeing.selectors import released_user_ids

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("America/Sao_Paulo")
# The /live test runs on the in-process hub and on Redis (hearth/messaging's fixture).
__all__ = ["live_backend"]


def quiet(user: User, *, started: float, ends: float, **more: Any) -> None:
    """Quiet hours from `started` hours ago to `ends` hours from now, local to ZONE."""
    here = timezone.now().astimezone(ZONE)
    Preferences.objects.create(
        user=user,
        time_zone=str(ZONE),
        quiet_start=(here - timedelta(hours=started)).time(),
        quiet_end=(here + timedelta(hours=ends)).time(),
        **more,
    )


def notified(
    recipient: User, actor: User, kind: str, *, hours_ago: float = 0, **more: Any
) -> Notification:
    at = timezone.now() - timedelta(hours=hours_ago)
    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind,
        source_key=f"t:{kind}:{actor.pk}",
        created_at=at,
        **more,
    )


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1]


def test_in_quiet_hours_a_reply_waits_and_is_not_counted(client_for):
    alice, bob = UserFactory(), UserFactory(display_name="Bob Okafor")
    quiet(alice, started=1, ends=2)
    post = publish(alice, "Anyone around tonight?")
    publish(bob, "I am, what's up?", in_reply_to=post)
    assert Notification.objects.filter(recipient=alice, kind="reply").exists()

    html = main(page(client_for(alice), "/notifications"))
    assert "1 notification is waiting for the end of your quiet hours at" in html
    assert "I am, what's up?" not in html
    assert unread_count(user=alice) == 0
    assert notifications_window(user=alice, window=Window()).items == []

    # Asked for, it shows at once; nothing about it changes.
    html = main(page(client_for(alice), "/notifications?held=1"))
    assert "I am, what's up?" in html
    assert "Let them wait" in html


def test_after_quiet_hours_the_night_arrives_as_one_summary(client_for):
    alice = UserFactory()
    bob, carol, dan = (UserFactory(display_name=n) for n in ("Bob Okafor", "Carol Diaz", "Dan Wu"))
    # Quiet from five hours ago until one hour ago.
    quiet(alice, started=5, ends=-1)
    notified(alice, bob, "follow", hours_ago=3)
    notified(alice, carol, "follow", hours_ago=2)
    notified(alice, dan, "reaction", hours_ago=4)
    notified(alice, dan, "mention", hours_ago=0.1)  # after quiet hours: on its own

    html = main(page(client_for(alice), "/notifications"))
    assert "While your quiet hours were on" in html
    assert "Carol Diaz and Bob Okafor followed you" in html  # newest first
    assert "Dan Wu responded to your post" in html
    # The summary counts as one in the header, beside the one that came after.
    assert unread_count(user=alice) == 2
    # Plain API clients get them all, now that they have arrived.
    assert len(notifications_window(user=alice, window=Window()).items) == 4

    client = client_for(alice)
    top = max(Notification.objects.filter(recipient=alice).values_list("pk", flat=True))
    assert f'name="up_to" value="{top}"' in page(client, "/notifications")
    client.post("/notifications/read", {"up_to": top})
    assert unread_count(user=alice) == 0


def test_a_daily_summary_holds_all_but_a_request_for_support(client_for):
    alice, bob = UserFactory(), UserFactory(display_name="Bob Okafor")
    Preferences.objects.create(user=alice, time_zone=str(ZONE), delivery="daily", digest_hour=0)
    notified(alice, bob, "follow", hours_ago=0)
    asking = publish(bob, "It has been a hard week.")
    routed = notified(alice, bob, "support_routed", post=asking)
    visible = [n.pk for n in notifications_window(user=alice, window=Window()).items]
    assert visible == [routed.pk]
    assert unread_count(user=alice) == 1
    html = main(page(client_for(alice), "/notifications"))
    assert "1 notification is waiting for your daily summary at 00:00" in html
    assert "asked for support" in html


def test_a_held_notification_sends_no_live_ping(settings):
    settings.REDIS_URL = ""
    settings.HEARTH_LIVE_EMBEDDED = True
    settings.HEARTH_LIVE_PREFIX = "test-quiet:"
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    quiet(alice, started=1, ends=1)
    before = live.publish("user:0", "marker").id
    held = notified(alice, bob, "follow")
    announce_notification(recipient_id=alice.pk, notification_id=held.pk)
    loud = notified(carol, bob, "follow")
    announce_notification(recipient_id=carol.pk, notification_id=loud.pk)

    async def replay(channel: str) -> list[Any]:
        got: list[Any] = []

        async def read() -> None:
            async for event in live.subscribe([channel], last_event_id=before):
                got.append(event)

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(read(), timeout=0.3)
        return got

    assert asyncio.run(replay(f"user:{alice.pk}")) == []
    assert [e.data["id"] for e in asyncio.run(replay(f"user:{carol.pk}"))] == [str(loud.pk)]


def test_settings_explain_half_set_and_empty_quiet_hours(client_for):
    alice = UserFactory()
    client = client_for(alice)
    form = {"time_zone": "Europe/Berlin", "daily_budget_minutes": "45", "delivery": "live"}
    r = client.post("/settings/wellbeing", {**form, "quiet_start": "22:00"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Add when your quiet hours end, or clear the start." in html
    assert 'value="22:00"' in html and 'value="45"' in html  # nothing typed is lost
    r = client.post("/settings/wellbeing", {**form, "quiet_start": "22:00", "quiet_end": "22:00"})
    assert "Quiet hours need an end different from their start" in r.content.decode()
    r = client.post("/settings/wellbeing", {**form, "quiet_start": "25:00", "quiet_end": "07:00"})
    assert "Write a time of day like 22:00." in r.content.decode()
    r = client.post(
        "/settings/wellbeing",
        {**form, "quiet_start": "22:00", "quiet_end": "07:00", "delivery": "weekly"},
    )
    assert r.status_code == 302
    prefs = Preferences.objects.get(user=alice)
    assert (str(prefs.quiet_start), str(prefs.quiet_end), prefs.delivery) == (
        "22:00:00",
        "07:00:00",
        "weekly",
    )


# --- when quiet hours end while a page is open -----------------------------------


@pytest.fixture
def hub(settings: Any) -> str:
    """The in-process live hub, with a marker event to replay from."""
    settings.REDIS_URL = ""
    settings.HEARTH_LIVE_EMBEDDED = True
    settings.HEARTH_LIVE_PREFIX = f"test-released-{uuid.uuid4().hex}:"
    cache.clear()  # the claims of earlier tests
    return live.publish("user:0", "marker").id


@contextlib.contextmanager
def awake(*users: User) -> Iterator[None]:
    """Their pages open: a live subscription to each one's channel, held in a thread."""
    channels = [f"user:{u.pk}" for u in users]
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def listen() -> None:
        async def read() -> None:
            async for _ in live.subscribe(channels):
                pass

        task = asyncio.ensure_future(read())
        await asyncio.sleep(0.1)  # subscribed
        ready.set()
        await stop.wait()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    thread = threading.Thread(target=loop.run_until_complete, args=(listen(),))
    thread.start()
    assert ready.wait(5)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(5)
        loop.close()


def replayed(channel: str, since: str) -> list[Any]:
    got: list[Any] = []

    async def read() -> None:
        async for event in live.subscribe([channel], last_event_id=since):
            got.append(event)

    async def main() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(read(), timeout=0.3)

    asyncio.run(main())
    return got


def test_when_quiet_hours_end_the_open_page_gets_the_new_count(
    hub: str, django_capture_on_commit_callbacks: Any
) -> None:
    alice, bob, carol, dan = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    quiet(alice, started=5, ends=-0.01)  # ended 36 seconds ago
    quiet(carol, started=5, ends=1)  # still quiet
    quiet(dan, started=5, ends=-0.5)  # ended half an hour ago: told then
    for person in (alice, carol, dan):
        notified(person, bob, "follow", hours_ago=2)

    with awake(alice, carol, dan), django_capture_on_commit_callbacks(execute=True):
        told = releases_tick()
    assert told == (alice.pk,)
    events = replayed(f"user:{alice.pk}", hub)
    assert [(e.event, e.data) for e in events] == [
        ("notification", {"unread": 1, "released": "quiet"})
    ]
    assert unread_count(user=alice) == 1  # what the next page view shows too
    assert replayed(f"user:{carol.pk}", hub) == []
    assert replayed(f"user:{dan.pk}", hub) == []

    # The next tick looks back over the same minute: the release is told once.
    with django_capture_on_commit_callbacks(execute=True):
        assert releases_tick() == ()
    assert len(replayed(f"user:{alice.pk}", hub)) == 1


def test_a_daily_summary_time_releases_too(hub: str) -> None:
    alice, bob = UserFactory(), UserFactory()
    Preferences.objects.create(user=alice, time_zone=str(ZONE), delivery="daily", digest_hour=7)
    Preferences.objects.create(user=bob, time_zone=str(ZONE), delivery="weekly", digest_hour=7)
    due = timezone.now().astimezone(ZONE).replace(hour=7, minute=0, second=0, microsecond=0)
    released = released_user_ids(since=due - timedelta(minutes=1), until=due)
    assert released.keys() == ({alice.pk, bob.pk} if due.weekday() == 6 else {alice.pk})
    assert released[alice.pk] == due
    # The ping carries why the notifications were held.
    notified(alice, bob, "follow", hours_ago=30)
    with awake(alice):
        assert announce_released(user_ids=[alice.pk]) == 1
    (event,) = replayed(f"user:{alice.pk}", hub)
    assert event.data["released"] == "daily"


def test_a_release_costs_nothing_for_people_with_no_page_open(
    hub: str, django_assert_num_queries: Any
) -> None:
    """Quiet hours ending at 07:00 for many: only those with a page open are counted."""
    people = [UserFactory() for _ in range(5)]
    for person in people:
        quiet(person, started=5, ends=-0.01)
        notified(person, people[0] if person != people[0] else people[1], "follow", hours_ago=2)
    with django_assert_num_queries(0):
        assert announce_released(user_ids=[p.pk for p in people]) == 0
    assert all(replayed(f"user:{p.pk}", hub) == [] for p in people)
    with awake(people[2]):
        assert announce_released(user_ids=[p.pk for p in people]) == 1
    assert [e.data["unread"] for e in replayed(f"user:{people[2].pk}", hub)] == [1]
    assert replayed(f"user:{people[3].pk}", hub) == []


@pytest.mark.django_db(transaction=True)
def test_the_live_stream_carries_the_release(live_backend: str, settings: Any, client: Any) -> None:
    """Through /live itself: an open stream gets the new count when quiet hours end."""
    from hearth.core.sse import live_app

    settings.HEARTH_LIVE_EMBEDDED = True
    settings.HEARTH_LIVE_KEEPALIVE = 1
    cache.clear()
    alice, bob = UserFactory(), UserFactory()
    quiet(alice, started=5, ends=-0.01)
    notified(alice, bob, "follow", hours_ago=2)
    client.force_login(alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    sent: list[Any] = []
    gone = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def main() -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/live",
            "headers": [(b"cookie", cookie.encode())],
        }
        stream = asyncio.ensure_future(live_app(scope, receive, send))
        await asyncio.sleep(0.3)
        await asyncio.to_thread(releases_tick)  # what the worker's thread does each minute
        await asyncio.sleep(0.8)
        gone.set()
        await asyncio.wait_for(stream, timeout=5)

    asyncio.run(main())
    body = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    assert 'event: notification\ndata: {"unread":1,"released":"quiet"}' in body
