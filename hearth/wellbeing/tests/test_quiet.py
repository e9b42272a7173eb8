"""Quiet hours and digests: which notifications wait, and which arrive as one summary.

Table-driven over local wall-clock times in the person's own zone, including
quiet hours across midnight and a night on which the clocks change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from hearth.wellbeing.models import Delivery, Preferences, Weekday
from hearth.wellbeing.quiet import hold_at, is_quiet

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
