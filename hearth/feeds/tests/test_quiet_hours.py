"""Quiet hours and digests as the person sees them: held notifications, one summary after.

The person's quiet hours are set around the real clock in their own zone,
so the pages, the header count, the client API's list and the live ping all
answer from the same rules (hearth.wellbeing.quiet).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.tests.factories import UserFactory
from hearth.core import live
from hearth.core.testing import page_ok as page
from hearth.feeds.live import announce_notification
from hearth.feeds.models import Notification
from hearth.feeds.selectors import Window, notifications_window, unread_count
from hearth.posts.tests.factories import publish
from hearth.wellbeing.models import Preferences

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("America/Sao_Paulo")


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
