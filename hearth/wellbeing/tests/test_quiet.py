"""Quiet hours and digests: which notifications wait, and which arrive as one summary.

Table-driven over local wall-clock times in the person's own zone, including
quiet hours across midnight and a night on which the clocks change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hearth.wellbeing.models import Delivery, Preferences, Weekday
from hearth.wellbeing.quiet import hold_at, is_quiet, next_hold_change, released_between

BERLIN = ZoneInfo("Europe/Berlin")


def prefs(
    start: str | None = None,
    end: str | None = None,
    *,
    delivery: str = Delivery.LIVE,
    hour: int = 18,
    weekday: int = Weekday.SUNDAY,
    zone: str = "Europe/Berlin",
) -> Preferences:
    return Preferences(
        time_zone=zone,
        quiet_start=time.fromisoformat(start) if start else None,
        quiet_end=time.fromisoformat(end) if end else None,
        delivery=delivery,
        digest_hour=hour,
        digest_weekday=weekday,
    )


def at(text: str, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


@dataclass(frozen=True)
class QuietCase:
    name: str
    start: str
    end: str
    now: str
    quiet: bool


QUIET = [
    QuietCase("inside, same day", "13:00", "15:00", "2026-11-23 14:00", True),
    QuietCase("before, same day", "13:00", "15:00", "2026-11-23 12:59", False),
    QuietCase("the end is not quiet", "13:00", "15:00", "2026-11-23 15:00", False),
    QuietCase("across midnight, evening", "22:00", "07:00", "2026-11-23 23:30", True),
    QuietCase("across midnight, small hours", "22:00", "07:00", "2026-11-24 03:00", True),
    QuietCase("across midnight, daytime", "22:00", "07:00", "2026-11-24 12:00", False),
    QuietCase("the start is quiet", "22:00", "07:00", "2026-11-23 22:00", True),
    # 29 March 2026: Berlin skips 02:00-03:00; the night is an hour shorter.
    QuietCase("spring night, before the change", "22:00", "07:00", "2026-03-29 01:30", True),
    QuietCase("spring night, after the change", "22:00", "07:00", "2026-03-29 06:30", True),
    QuietCase("spring morning", "22:00", "07:00", "2026-03-29 07:00", False),
]


@pytest.mark.parametrize("case", QUIET, ids=[c.name for c in QUIET])
def test_quiet_hours(case: QuietCase) -> None:
    assert is_quiet(prefs(case.start, case.end), at(case.now)) is case.quiet


def test_no_quiet_hours_holds_nothing() -> None:
    hold = hold_at(prefs(), at("2026-11-23 23:00"))
    assert hold.held_since is None
    assert hold.summary_from is None
    assert not hold.holds(at("2026-11-23 23:00"), "reply")


def test_during_quiet_hours_what_arrives_waits_until_the_end() -> None:
    hold = hold_at(prefs("22:00", "07:00"), at("2026-11-24 03:00"))
    assert hold.reason == "quiet"
    assert hold.release_at == at("2026-11-24 07:00")
    assert hold.holds(at("2026-11-23 22:10"), "reply")
    assert hold.holds(at("2026-11-24 02:59"), "support_routed")  # quiet means quiet
    assert not hold.holds(at("2026-11-23 21:59"), "reply")
    # Last night's quiet period has arrived as one summary.
    assert hold.in_summary(at("2026-11-23 06:00"), "reply")
    assert not hold.in_summary(at("2026-11-23 08:00"), "reply")


def test_after_quiet_hours_the_night_arrives_as_one_summary() -> None:
    hold = hold_at(prefs("22:00", "07:00"), at("2026-11-24 09:00"))
    assert hold.held_since is None
    assert hold.summary_from == at("2026-11-23 22:00")
    assert hold.summary_to == at("2026-11-24 07:00")
    assert hold.in_summary(at("2026-11-24 01:00"), "reaction")
    assert not hold.in_summary(at("2026-11-24 08:00"), "reaction")
    assert not hold.holds(at("2026-11-24 08:59"), "reaction")


def test_quiet_hours_follow_the_persons_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    # 22:00-07:00 in Tokyo is 14:00-23:00 in Berlin in winter.
    person = prefs("22:00", "07:00", zone="Asia/Tokyo")
    assert is_quiet(person, at("2026-11-23 15:00"))
    assert not is_quiet(person, at("2026-11-23 23:30"))
    assert hold_at(person, at("2026-11-23 15:00")).release_at == at("2026-11-24 07:00", tokyo)


def test_daily_digest_holds_everything_since_the_last_summary_time() -> None:
    hold = hold_at(prefs(delivery=Delivery.DAILY, hour=18), at("2026-11-24 10:00"))
    assert hold.reason == "daily"
    assert hold.held_since == at("2026-11-23 18:00")
    assert hold.release_at == at("2026-11-24 18:00")
    assert hold.holds(at("2026-11-24 09:00"), "reply")
    assert hold.in_summary(at("2026-11-23 12:00"), "reply")
    assert not hold.in_summary(at("2026-11-22 17:00"), "reply")


def test_a_digest_never_holds_a_request_for_support_or_a_gathering_reminder() -> None:
    hold = hold_at(prefs(delivery=Delivery.DAILY), at("2026-11-24 10:00"))
    assert not hold.holds(at("2026-11-24 09:00"), "support_routed")
    assert not hold.holds(at("2026-11-24 09:00"), "gathering_reminder")
    assert not hold.in_summary(at("2026-11-23 12:00"), "support_routed")


def test_weekly_digest_on_the_chosen_day() -> None:
    # 23 November 2026 is a Monday; the summary comes on Sundays at 09:00.
    person = prefs(delivery=Delivery.WEEKLY, hour=9, weekday=Weekday.SUNDAY)
    hold = hold_at(person, at("2026-11-25 12:00"))
    assert hold.held_since == at("2026-11-22 09:00")
    assert hold.release_at == at("2026-11-29 09:00")
    assert hold.summary_from == at("2026-11-15 09:00")
    # On the day itself, before the hour, the previous week is still held.
    assert hold_at(person, at("2026-11-29 08:00")).release_at == at("2026-11-29 09:00")
    assert hold_at(person, at("2026-11-29 09:00")).held_since == at("2026-11-29 09:00")


# --- the next moment what is held changes ---------------------------------------

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class ChangeCase:
    name: str
    person: Preferences
    now: str  # Berlin wall clock
    expected: str | None  # UTC


CHANGES = [
    ChangeCase(
        "same day, inside: the end", prefs("13:00", "15:00"), "2026-11-23 14:00", "2026-11-23 14:00"
    ),
    ChangeCase(
        "same day, before: the start",
        prefs("13:00", "15:00"),
        "2026-11-23 12:00",
        "2026-11-23 12:00",
    ),
    ChangeCase(
        "same day, at the end: tomorrow's start",
        prefs("13:00", "15:00"),
        "2026-11-23 15:00",
        "2026-11-24 12:00",
    ),
    ChangeCase(
        "across midnight, evening: the morning",
        prefs("22:00", "07:00"),
        "2026-11-23 23:30",
        "2026-11-24 06:00",
    ),
    ChangeCase(
        "across midnight, small hours",
        prefs("22:00", "07:00"),
        "2026-11-24 03:00",
        "2026-11-24 06:00",
    ),
    ChangeCase(
        "across midnight, daytime: the evening",
        prefs("22:00", "07:00"),
        "2026-11-24 12:00",
        "2026-11-24 21:00",
    ),
    # 29 March 2026: Berlin goes from 02:00 CET to 03:00 CEST; 07:00 is 05:00 UTC.
    ChangeCase("spring night", prefs("22:00", "07:00"), "2026-03-29 01:30", "2026-03-29 05:00"),
    # An end the clocks skip: 02:30 is read as CET, the instant 03:30 CEST.
    ChangeCase(
        "spring night, end in the gap",
        prefs("22:00", "02:30"),
        "2026-03-28 23:00",
        "2026-03-29 01:30",
    ),
    # 25 October 2026: back from 03:00 CEST to 02:00 CET; 07:00 is 06:00 UTC.
    ChangeCase("autumn night", prefs("22:00", "07:00"), "2026-10-25 01:30", "2026-10-25 06:00"),
    ChangeCase(
        "daily summary, later today",
        prefs(delivery=Delivery.DAILY, hour=18),
        "2026-11-24 10:00",
        "2026-11-24 17:00",
    ),
    ChangeCase(
        "daily summary, at the hour: tomorrow",
        prefs(delivery=Delivery.DAILY, hour=18),
        "2026-11-24 18:00",
        "2026-11-25 17:00",
    ),
    ChangeCase(
        "daily summary across the spring change",
        prefs(delivery=Delivery.DAILY, hour=9),
        "2026-03-28 20:00",
        "2026-03-29 07:00",
    ),
    # 25 November 2026 is a Wednesday; the summary comes on Sundays at 09:00.
    ChangeCase(
        "weekly summary",
        prefs(delivery=Delivery.WEEKLY, hour=9, weekday=Weekday.SUNDAY),
        "2026-11-25 12:00",
        "2026-11-29 08:00",
    ),
    ChangeCase(
        "weekly summary, on the day after the hour",
        prefs(delivery=Delivery.WEEKLY, hour=9, weekday=Weekday.SUNDAY),
        "2026-11-29 09:30",
        "2026-12-06 08:00",
    ),
    ChangeCase(
        "a summary overrides quiet hours",
        prefs("22:00", "07:00", delivery=Delivery.DAILY, hour=18),
        "2026-11-23 23:00",
        "2026-11-24 17:00",
    ),
    ChangeCase("no quiet hours", prefs(), "2026-11-23 23:00", None),
    ChangeCase("start = end is no quiet hours", prefs("22:00", "22:00"), "2026-11-23 23:00", None),
]


@pytest.mark.parametrize("case", CHANGES, ids=[c.name for c in CHANGES])
def test_next_hold_change(case: ChangeCase) -> None:
    expected = at(case.expected, UTC_ZONE) if case.expected else None
    assert next_hold_change(case.person, at(case.now)) == expected


def test_next_hold_change_is_when_hold_at_changes() -> None:
    # Just before and at the change, hold_at answers differently.
    person = prefs("22:00", "07:00")
    change = next_hold_change(person, at("2026-03-29 01:30"))
    assert change is not None
    before = hold_at(person, change - timedelta(seconds=1))
    after = hold_at(person, change)
    assert before.held_since is not None and after.held_since is None
    assert after.summary_to == change


@dataclass(frozen=True)
class ReleaseCase:
    name: str
    person: Preferences
    since: str  # Berlin wall clock
    until: str
    released: str | None  # Berlin wall clock


RELEASES = [
    ReleaseCase(
        "quiet hours end in the window",
        prefs("22:00", "07:00"),
        "2026-11-24 06:59",
        "2026-11-24 07:01",
        "2026-11-24 07:00",
    ),
    ReleaseCase(
        "the window's end counts",
        prefs("22:00", "07:00"),
        "2026-11-24 06:58",
        "2026-11-24 07:00",
        "2026-11-24 07:00",
    ),
    ReleaseCase(
        "the window's start does not",
        prefs("22:00", "07:00"),
        "2026-11-24 07:00",
        "2026-11-24 07:02",
        None,
    ),
    ReleaseCase(
        "a start releases nothing",
        prefs("22:00", "07:00"),
        "2026-11-23 21:59",
        "2026-11-23 22:01",
        None,
    ),
    ReleaseCase(
        "spring morning",
        prefs("22:00", "07:00"),
        "2026-03-29 06:59",
        "2026-03-29 07:01",
        "2026-03-29 07:00",
    ),
    ReleaseCase(
        "daily summary time",
        prefs(delivery=Delivery.DAILY, hour=18),
        "2026-11-24 17:59",
        "2026-11-24 18:01",
        "2026-11-24 18:00",
    ),
    ReleaseCase(
        "weekly, the wrong day",
        prefs(delivery=Delivery.WEEKLY, hour=18),
        "2026-11-24 17:59",
        "2026-11-24 18:01",
        None,
    ),
    ReleaseCase("no quiet hours", prefs(), "2026-11-24 06:59", "2026-11-24 07:01", None),
]


@pytest.mark.parametrize("case", RELEASES, ids=[c.name for c in RELEASES])
def test_released_between(case: ReleaseCase) -> None:
    expected = at(case.released) if case.released else None
    assert released_between(case.person, at(case.since), at(case.until)) == expected
