"""Usage accounting, the daily budget and wellbeing preferences.

Time is counted as intervals between a person's page views and heartbeats:
each interval is credited to the area of the page it started on, capped at
IDLE_CAP so a tab left open overnight counts five minutes, not eight hours.
Nothing about what was read or typed is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest

from hearth.accounts.models import User
from hearth.core.events import emit
from hearth.wellbeing.events import NotificationsReleased
from hearth.wellbeing.models import Area, Preferences, UsageBucket
from hearth.wellbeing.selectors import released_user_ids

IDLE_CAP = 300
# Views closer together than this fold into one interval: at most one write
# per person every FOLD seconds, however fast they click.
FOLD = 15
MORE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Activity:
    prefs: Preferences
    break_due: bool


def preferences_get(*, user: User) -> Preferences:
    """The person's preferences; an unsaved default row if they never set any."""
    try:
        return Preferences.objects.get(user=user)
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def request_preferences(request: HttpRequest, user: User) -> Preferences:
    """The signed-in person's preferences, as the middleware loaded them for this request."""
    prefs = getattr(request, "wellbeing_prefs", None)
    if isinstance(prefs, Preferences) and prefs.user_id == user.pk:
        return prefs
    return preferences_get(user=user)


def local_today(*, prefs: Preferences, now: datetime) -> date:
    return now.astimezone(prefs.zone).date()


def _add(*, user: User, day: date, hour: int, area: str, seconds: int) -> None:
    match = UsageBucket.objects.filter(user=user, date=day, hour=hour, area=area)
    if match.update(seconds=F("seconds") + seconds):
        return
    try:
        with transaction.atomic():
            UsageBucket.objects.create(user=user, date=day, hour=hour, area=area, seconds=seconds)
    except IntegrityError:
        # Another request created the row first.
        match.update(seconds=F("seconds") + seconds)


def usage_credit(*, user: User, start: datetime, seconds: int, area: str, zone: ZoneInfo) -> None:
    """Add `seconds` of activity from `start` on, split at the person's local hour boundaries.

    Works in whole UTC seconds and asks the zone for the local hour of each
    piece, so a DST change gives a 2-hour or a missing local hour, never a
    wrong date.
    """
    t = int(start.timestamp())
    end = t + seconds
    while t < end:
        local = datetime.fromtimestamp(t, UTC).astimezone(zone)
        boundary = t + 3600 - (local.minute * 60 + local.second)
        piece_end = min(end, boundary)
        _add(user=user, day=local.date(), hour=local.hour, area=area, seconds=piece_end - t)
        t = piece_end


def _folds(prefs: Preferences, now: datetime) -> bool:
    last = prefs.last_seen
    return last is not None and now < last + timedelta(seconds=FOLD)


def activity_record(*, user: User, now: datetime, area: str) -> Activity:
    """Credit the interval since the person's last activity and move the cursor to `now`.

    The interval goes to the area the person was last in (the page they were
    on); `area` becomes the area of the next interval. `break_due` is True
    once per continuous stretch, when it first reaches the person's break
    reminder; the caller shows the reminder.
    """
    # The common case, a view soon after the last one, is one read by primary
    # key and no transaction: on SQLite (IMMEDIATE mode) a transaction takes
    # the write lock, and page views must not queue behind each other.
    known = Preferences.objects.filter(user=user).first()
    if known is not None and _folds(known, now):
        return Activity(prefs=known, break_due=False)
    with transaction.atomic():
        prefs, _ = Preferences.objects.select_for_update().get_or_create(user=user)
        if _folds(prefs, now):  # another request moved the cursor meanwhile
            return Activity(prefs=prefs, break_due=False)
        last = prefs.last_seen
        gap = None
        if last is not None:
            gap = int((now - last).total_seconds())
            if gap > 0:
                usage_credit(
                    user=user,
                    start=last,
                    seconds=min(gap, IDLE_CAP),
                    area=prefs.last_area,
                    zone=prefs.zone,
                )
        if gap is None or gap > IDLE_CAP or prefs.streak_start is None:
            prefs.streak_start = now
            prefs.break_reminded = False
        break_due = bool(
            prefs.break_reminder_minutes
            and not prefs.break_reminded
            and now - prefs.streak_start >= timedelta(minutes=prefs.break_reminder_minutes)
        )
        if break_due:
            prefs.break_reminded = True
        prefs.last_seen = now
        prefs.last_area = area if area in Area.values else Area.OTHER
        prefs.save(update_fields=["last_seen", "last_area", "streak_start", "break_reminded"])
    return Activity(prefs=prefs, break_due=break_due)


def today_seconds(*, prefs: Preferences, now: datetime) -> int:
    """Seconds the person has been active on their local today."""
    total = UsageBucket.objects.filter(
        user_id=prefs.user_id, date=local_today(prefs=prefs, now=now)
    ).aggregate(s=Sum("seconds"))["s"]
    return int(total or 0)


def budget_allowance_seconds(*, prefs: Preferences, now: datetime) -> int | None:
    """Today's budget plus any "15 more minutes", or None without a budget."""
    if not prefs.daily_budget_minutes:
        return None
    extra = prefs.extra_seconds if prefs.extra_date == local_today(prefs=prefs, now=now) else 0
    return prefs.daily_budget_minutes * 60 + extra


def budget_reached(*, prefs: Preferences, now: datetime) -> bool:
    allowance = budget_allowance_seconds(prefs=prefs, now=now)
    return allowance is not None and today_seconds(prefs=prefs, now=now) >= allowance


def budget_extend(*, user: User, now: datetime, seconds: int = MORE_SECONDS) -> None:
    """Grant `seconds` more from now on, for the person's local today only.

    Counted from today's use so far (not from the budget), so time spent
    past the budget before the pause showed does not eat the extension.
    """
    with transaction.atomic():
        prefs, _ = Preferences.objects.select_for_update().get_or_create(user=user)
        if not prefs.daily_budget_minutes:
            return
        today = local_today(prefs=prefs, now=now)
        current = prefs.extra_seconds if prefs.extra_date == today else 0
        over = today_seconds(prefs=prefs, now=now) - prefs.daily_budget_minutes * 60
        prefs.extra_date = today
        prefs.extra_seconds = max(current, over) + seconds
        prefs.save(update_fields=["extra_date", "extra_seconds"])


SETTINGS_FIELDS = (
    "time_zone",
    "daily_budget_minutes",
    "break_reminder_minutes",
    "hide_own_counts",
    "quiet_start",
    "quiet_end",
    "delivery",
    "digest_hour",
    "digest_weekday",
    "weekly_reflection",
    "reflection_weekday",
)


def preferences_update(*, user: User, **settings: Any) -> Preferences:
    """Save the person's wellbeing settings (SETTINGS_FIELDS); usage and the cursor stay.

    Fields are validated by the caller's form (time zone known to zoneinfo,
    minutes in range, quiet hours both or neither); the model's validators
    say the same. Settings not given keep their value.
    """
    unknown = set(settings) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not wellbeing settings: {sorted(unknown)}")
    fields = dict(settings)
    with transaction.atomic():
        prefs, created = Preferences.objects.select_for_update().get_or_create(
            user=user, defaults=fields
        )
        if not created:
            for name, value in fields.items():
                setattr(prefs, name, value)
            prefs.save(update_fields=list(fields))
    return prefs


def reflection_mark_seen(*, user: User, now: datetime) -> None:
    """The person opened this week's reflection: the home page stops offering it today."""
    prefs = preferences_get(user=user)
    Preferences.objects.filter(user=user).update(
        reflection_seen_on=local_today(prefs=prefs, now=now)
    )


def usage_prune(*, now: datetime, keep_days: int) -> int:
    """Delete usage older than `keep_days` days (the retention window); returns rows deleted.

    Dates are local to each person, so a day's margin keeps the oldest day
    whole in every zone.
    """
    cutoff = (now - timedelta(days=keep_days + 1)).date()
    deleted, _ = UsageBucket.objects.filter(date__lt=cutoff).delete()
    return deleted


def usage_forget(*, user: User) -> int:
    """Delete all of the person's usage (their "Forget my time"); returns rows deleted.

    The cursor goes too, so the minutes before forgetting are not credited
    by the next page view.
    """
    with transaction.atomic():
        Preferences.objects.filter(user=user).update(last_seen=None, streak_start=None)
        deleted, _ = UsageBucket.objects.filter(user=user).delete()
    return deleted


def notifications_release_announce(*, now: datetime, window: float) -> tuple[int, ...]:
    """Tell the people whose held notifications arrived in the last `window` seconds.

    Emits one NotificationsReleased with their ids (none: nothing emitted)
    and returns them. Each (person, moment) is claimed with `cache.add`
    first, so overlapping windows, and several workers running this each
    minute, announce a release once while the cache is shared (Redis); a
    second announcement would only repeat the same count.
    """
    released = released_user_ids(since=now - timedelta(seconds=window), until=now)
    claimed = tuple(
        user_id
        for user_id, moment in sorted(released.items())
        if cache.add(
            f"wellbeing:released:{user_id}:{int(moment.timestamp())}",
            1,
            timeout=int(window) * 2 + 60,
        )
    )
    if claimed:
        emit(NotificationsReleased(user_ids=claimed))
    return claimed
