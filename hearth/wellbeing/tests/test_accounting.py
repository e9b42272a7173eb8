"""Usage accounting: intervals, the idle cap, local dates and hours across midnight and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.wellbeing import services
from hearth.wellbeing.models import Area, Preferences, UsageBucket

pytestmark = pytest.mark.django_db


def buckets(user):
    return sorted(
        (b.date, b.hour, b.area, b.seconds) for b in UsageBucket.objects.filter(user=user)
    )


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_interval_split_across_midnight_utc():
    user = UserFactory()
    services.usage_credit(
        user=user, start=at(2026, 3, 1, 23, 58), seconds=300, area="feed", zone=ZoneInfo("UTC")
    )
    assert buckets(user) == [
        (date(2026, 3, 1), 23, "feed", 120),
        (date(2026, 3, 2), 0, "feed", 180),
    ]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # The same UTC instant is late evening in Los Angeles, the next
        # morning in Auckland, and half past an hour in India.
        ("America/Los_Angeles", [(date(2026, 1, 14), 16, 300)]),
        ("Pacific/Auckland", [(date(2026, 1, 15), 13, 300)]),
        ("Asia/Kolkata", [(date(2026, 1, 15), 5, 120), (date(2026, 1, 15), 6, 180)]),
    ],
)
def test_local_date_and_hour_follow_the_persons_zone(zone, expected):
    user = UserFactory()
    services.usage_credit(
        user=user, start=at(2026, 1, 15, 0, 28), seconds=300, area="feed", zone=ZoneInfo(zone)
    )
    assert [(d, h, s) for d, h, _, s in buckets(user)] == expected


def test_dst_spring_forward_skips_the_missing_hour():
    # Europe/Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    user = UserFactory()
    services.usage_credit(
        user=user,
        start=at(2026, 3, 29, 0, 50),
        seconds=20 * 60,
        area="feed",
        zone=ZoneInfo("Europe/Berlin"),
    )
    assert buckets(user) == [
        (date(2026, 3, 29), 1, "feed", 600),
        (date(2026, 3, 29), 3, "feed", 600),
    ]


def test_dst_fall_back_puts_both_local_two_oclocks_in_one_bucket():
    # Europe/Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC,
    # so local 02:00-02:59 happens twice and its bucket holds up to 2 hours.
    user = UserFactory()
    zone = ZoneInfo("Europe/Berlin")
    services.usage_credit(
        user=user, start=at(2026, 10, 25, 0, 55), seconds=300, area="feed", zone=zone
    )
    services.usage_credit(
        user=user, start=at(2026, 10, 25, 1, 57), seconds=300, area="feed", zone=zone
    )
    # 02:55-03:00 CEST, then 02:57-03:02 CET.
    assert buckets(user) == [
        (date(2026, 10, 25), 2, "feed", 480),
        (date(2026, 10, 25), 3, "feed", 120),
    ]


def test_activity_credits_the_previous_page_capped_at_five_minutes():
    user = UserFactory()
    t0 = at(2026, 5, 4, 9, 0)
    services.activity_record(user=user, now=t0, area=Area.FEED)
    services.activity_record(user=user, now=t0 + timedelta(seconds=90), area=Area.CONVERSATIONS)
    # A long gap (the tab was closed) counts 5 minutes, not 40.
    services.activity_record(user=user, now=t0 + timedelta(minutes=41, seconds=30), area=Area.FEED)
    assert buckets(user) == [
        (date(2026, 5, 4), 9, "conversations", 300),
        (date(2026, 5, 4), 9, "feed", 90),
    ]


def test_views_close_together_fold_into_one_write():
    user = UserFactory()
    t0 = at(2026, 5, 4, 9, 0)
    services.activity_record(user=user, now=t0, area=Area.FEED)
    services.activity_record(user=user, now=t0 + timedelta(seconds=5), area=Area.SUPPORT)
    services.activity_record(user=user, now=t0 + timedelta(seconds=40), area=Area.FEED)
    assert buckets(user) == [(date(2026, 5, 4), 9, "feed", 40)]


def test_activity_uses_the_saved_time_zone_for_today():
    user = UserFactory()
    Preferences.objects.create(user=user, time_zone="Pacific/Auckland", daily_budget_minutes=5)
    t0 = at(2026, 5, 4, 11, 57)  # 23:57 in Auckland
    for minute in range(0, 8, 1):
        services.activity_record(user=user, now=t0 + timedelta(minutes=minute), area=Area.FEED)
    prefs = Preferences.objects.get(user=user)
    # 3 minutes before local midnight, 4 after: "today" is the new local day.
    assert services.today_seconds(prefs=prefs, now=t0 + timedelta(minutes=7)) == 240
    assert not services.budget_reached(prefs=prefs, now=t0 + timedelta(minutes=7))
    services.activity_record(user=user, now=t0 + timedelta(minutes=8), area=Area.FEED)
    assert services.budget_reached(prefs=prefs, now=t0 + timedelta(minutes=8))


def test_break_reminder_is_due_once_per_continuous_stretch():
    user = UserFactory()
    Preferences.objects.create(user=user, break_reminder_minutes=5)
    t0 = at(2026, 5, 4, 9, 0)
    due = [
        services.activity_record(user=user, now=t0 + timedelta(minutes=m), area=Area.FEED).break_due
        for m in range(0, 9)
    ]
    assert due == [False] * 5 + [True] + [False] * 3
    # After a real gap the stretch starts again.
    later = t0 + timedelta(minutes=30)
    assert not services.activity_record(user=user, now=later, area=Area.FEED).break_due
    assert services.activity_record(
        user=user, now=later + timedelta(minutes=5), area=Area.FEED
    ).break_due


def test_fifteen_more_minutes_counts_from_use_so_far():
    user = UserFactory()
    Preferences.objects.create(user=user, daily_budget_minutes=10)
    now = at(2026, 5, 4, 12, 0)
    UsageBucket.objects.create(user=user, date=now.date(), hour=11, area="feed", seconds=13 * 60)
    prefs = Preferences.objects.get(user=user)
    assert services.budget_reached(prefs=prefs, now=now)
    services.budget_extend(user=user, now=now)
    prefs.refresh_from_db()
    assert services.budget_allowance_seconds(prefs=prefs, now=now) == (13 + 15) * 60
    assert not services.budget_reached(prefs=prefs, now=now)
    # Tomorrow the extension is gone.
    tomorrow = now + timedelta(days=1)
    assert services.budget_allowance_seconds(prefs=prefs, now=tomorrow) == 10 * 60
