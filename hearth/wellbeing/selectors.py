"""Reads for the private dashboard. Only ever called with the signed-in person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Q, Sum

from hearth.accounts.models import User
from hearth.wellbeing.models import Area, Delivery, Preferences, UsageBucket
from hearth.wellbeing.quiet import NO_HOLD, Hold, hold_at, is_quiet, released_between


def usage_by_day(*, user: User, today: date, days: int = 30) -> list[tuple[date, int]]:
    """Seconds per local date for the `days` days ending today, oldest first, zeros included."""
    start = today - timedelta(days=days - 1)
    rows = (
        UsageBucket.objects.filter(user=user, date__gte=start, date__lte=today)
        .values("date")
        .annotate(s=Sum("seconds"))
    )
    by_date = {row["date"]: int(row["s"]) for row in rows}
    return [
        (start + timedelta(days=i), by_date.get(start + timedelta(days=i), 0)) for i in range(days)
    ]


def usage_by_hour(*, user: User, today: date, days: int = 30) -> list[int]:
    """Seconds per local hour of the day (0-23), summed over the last `days` days."""
    start = today - timedelta(days=days - 1)
    rows = (
        UsageBucket.objects.filter(user=user, date__gte=start, date__lte=today)
        .values("hour")
        .annotate(s=Sum("seconds"))
    )
    hours = [0] * 24
    for row in rows:
        hours[row["hour"]] = int(row["s"])
    return hours


def usage_by_area(*, user: User, today: date, days: int = 30) -> list[tuple[str, int]]:
    """(area label, seconds) for every area over the last `days` days, in a fixed order."""
    start = today - timedelta(days=days - 1)
    rows = (
        UsageBucket.objects.filter(user=user, date__gte=start, date__lte=today)
        .values("area")
        .annotate(s=Sum("seconds"))
    )
    by_area = {row["area"]: int(row["s"]) for row in rows}
    return [(area.label, by_area.get(area.value, 0)) for area in Area]


def notification_hold(*, user_id: int, now: datetime, prefs: Preferences | None = None) -> Hold:
    """What of this person's notifications is held now (hearth.wellbeing.quiet).

    One read, unless the caller passes the preferences it already has (the
    middleware loads them for every signed-in page: `request_preferences`).
    """
    if prefs is None:
        prefs = Preferences.objects.filter(user_id=user_id).first()
    if prefs is None:
        return NO_HOLD
    return hold_at(prefs, now)


def quiet_user_ids(*, user_ids: Iterable[int], at: datetime) -> set[int]:
    """Those of `user_ids` in their quiet hours at `at`, in one query.

    Digests do not count: a supporter who reads notifications once a day
    still gets a request for support at once (hearth.wellbeing.quiet).
    """
    rows = Preferences.objects.filter(
        user_id__in=list(user_ids), quiet_start__isnull=False, quiet_end__isnull=False
    )
    return {prefs.user_id for prefs in rows if is_quiet(prefs, at)}


def released_user_ids(*, since: datetime, until: datetime) -> dict[int, datetime]:
    """Who had held notifications arrive in (`since`, `until`], and when: {user id: moment}.

    One query over the people who hold anything (quiet hours set, or a
    daily or weekly summary), reading only the columns the rules need; the
    arithmetic is `quiet.released_between`, in each person's zone. Whether
    anything was actually held is not asked: a fresh count costs the same
    as finding out.
    """
    rows = Preferences.objects.filter(
        Q(quiet_start__isnull=False, quiet_end__isnull=False)
        | Q(delivery__in=[Delivery.DAILY, Delivery.WEEKLY])
    ).only(
        "user_id",
        "time_zone",
        "quiet_start",
        "quiet_end",
        "delivery",
        "digest_hour",
        "digest_weekday",
    )
    released: dict[int, datetime] = {}
    for prefs in rows.iterator(chunk_size=2000):
        moment = released_between(prefs, since, until)
        if moment is not None:
            released[prefs.user_id] = moment
    return released


def reflection_due(*, prefs: Preferences, now: datetime) -> bool:
    """True on the person's reflection day (and the days after) until they open it that week."""
    if not prefs.weekly_reflection:
        return False
    today = now.astimezone(prefs.zone).date()
    since = (today.weekday() - prefs.reflection_weekday) % 7
    ready_on = today - timedelta(days=since)
    return prefs.reflection_seen_on is None or prefs.reflection_seen_on < ready_on
