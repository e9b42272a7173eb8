"""When a person's notifications are held, and which held ones have arrived as one summary.

Pure arithmetic over a person's preferences and a moment; nothing is stored
per notification. Two ways to hold:

* quiet hours (say 22:00-07:00, in the person's zone, possibly across
  midnight): notifications made during the current quiet period wait until
  it ends; when it has ended, those made during it arrive as one summary.
* a daily or weekly digest instead of live notifications: everything made
  since the last digest time waits for the next one; at a digest time,
  what was made since the previous one arrives as one summary.

Times are built as local wall-clock times in the person's zone and compared
in UTC, so a DST change makes a quiet period an hour shorter or longer,
never a day off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hearth.wellbeing.models import Delivery, Preferences

# Kinds that lose their point when held for a digest: a person asking a
# supporter for help now, a reminder an hour before a gathering. Quiet
# hours hold them too (routing skips quiet supporters altogether).
NOT_DIGESTED = frozenset({"support_routed", "gathering_reminder"})


@dataclass(frozen=True)
class Hold:
    """What is held at one moment, and the latest summary that has arrived.

    `held_since`: notifications made after it are waiting (None: nothing
    is). `release_at`: when they arrive. `summary_from`/`summary_to`: the
    last finished period, whose notifications are shown as one summary.
    `reason` is "quiet", "daily", "weekly" or "" (live, no quiet hours).
    """

    reason: str = ""
    held_since: datetime | None = None
    release_at: datetime | None = None
    summary_from: datetime | None = None
    summary_to: datetime | None = None

    @property
    def exempt(self) -> frozenset[str]:
        """Kinds this hold lets through: none in quiet hours, NOT_DIGESTED for a digest.

        The one statement of the rule; `feeds.selectors` builds its SQL
        filters from it and the held/summary windows below.
        """
        return frozenset() if self.reason == "quiet" else NOT_DIGESTED

    def holds(self, created_at: datetime, kind: str) -> bool:
        if self.held_since is None or kind in self.exempt:
            return False
        return created_at > self.held_since

    def in_summary(self, created_at: datetime, kind: str) -> bool:
        if self.summary_from is None or self.summary_to is None or kind in self.exempt:
            return False
        return self.summary_from < created_at <= self.summary_to


NO_HOLD = Hold()


def _at(prefs: Preferences, day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=prefs.zone)


def quiet_periods(prefs: Preferences, now: datetime) -> list[tuple[datetime, datetime]]:
    """The quiet periods that started on the local days around `now`, oldest first."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return []
    today = now.astimezone(prefs.zone).date()
    spans = end <= start  # 22:00-07:00 ends on the next day
    periods = []
    for offset in (-2, -1, 0):
        day = today + timedelta(days=offset)
        periods.append((_at(prefs, day, start), _at(prefs, day + timedelta(days=spans), end)))
    return periods


def is_quiet(prefs: Preferences, now: datetime) -> bool:
    return any(start <= now < end for start, end in quiet_periods(prefs, now))


def _digest_times(prefs: Preferences, now: datetime) -> tuple[datetime, datetime, datetime]:
    """The digest before the last one, the last one (<= now) and the next one."""
    local = now.astimezone(prefs.zone)
    clock = time(prefs.digest_hour)
    if prefs.delivery == Delivery.WEEKLY:
        step = 7
        back = (local.weekday() - prefs.digest_weekday) % 7
    else:
        step = 1
        back = 0
    day = local.date() - timedelta(days=back)
    last = _at(prefs, day, clock)
    if last > now:
        day -= timedelta(days=step)
        last = _at(prefs, day, clock)
    return (
        _at(prefs, day - timedelta(days=step), clock),
        last,
        _at(prefs, day + timedelta(days=step), clock),
    )


def hold_at(prefs: Preferences, now: datetime) -> Hold:
    """What `prefs` hold at `now` (see the module docstring)."""
    if prefs.delivery in (Delivery.DAILY, Delivery.WEEKLY):
        before, last, following = _digest_times(prefs, now)
        return Hold(
            reason=str(prefs.delivery),
            held_since=last,
            release_at=following,
            summary_from=before,
            summary_to=last,
        )
    periods = quiet_periods(prefs, now)
    if not periods:
        return NO_HOLD
    current = next(((s, e) for s, e in periods if s <= now < e), None)
    finished = [(s, e) for s, e in periods if e <= now]
    summary = finished[-1] if finished else (None, None)
    return Hold(
        reason="quiet",
        held_since=current[0] if current else None,
        release_at=current[1] if current else None,
        summary_from=summary[0],
        summary_to=summary[1],
    )


# --- when what is held changes -------------------------------------------------


@dataclass(frozen=True)
class HoldChange:
    """A moment at which what a person's preferences hold changes.

    `at` is in UTC. `releases` is True when held notifications arrive then
    (quiet hours end, a summary time comes): the header count changes at
    that moment. When quiet hours start nothing already counted goes away,
    so `releases` is False.
    """

    at: datetime
    releases: bool


def _utc(moment: datetime) -> datetime:
    # Two datetimes with the same ZoneInfo compare by wall clock, which is
    # wrong across a DST change; in UTC they compare by the instant.
    return moment.astimezone(UTC)


def hold_changes(prefs: Preferences, around: datetime, *, reach: int = 8) -> list[HoldChange]:
    """Every moment what `prefs` hold changes on the local days `reach` days around `around`.

    Oldest first, in UTC; the default reach covers a weekly summary. The
    same rules as `hold_at`: with a daily or weekly summary, quiet hours do
    not count; start = end means none. A wall-clock time that a DST
    change skips (02:30 on the spring night in Berlin) is read with the
    offset before the change, as `hold_at` does, so both agree on the
    instant.
    """
    today = around.astimezone(prefs.zone).date()
    days = [today + timedelta(days=offset) for offset in range(-reach, reach + 1)]
    changes: list[HoldChange] = []
    if prefs.delivery in (Delivery.DAILY, Delivery.WEEKLY):
        clock = time(prefs.digest_hour)
        weekly = prefs.delivery == Delivery.WEEKLY
        for day in days:
            if not weekly or day.weekday() == prefs.digest_weekday:
                changes.append(HoldChange(_utc(_at(prefs, day, clock)), releases=True))
    else:
        start, end = prefs.quiet_start, prefs.quiet_end
        if start is None or end is None or start == end:
            return []
        spans = end <= start
        for day in days:
            changes.append(HoldChange(_utc(_at(prefs, day, start)), releases=False))
            ends_on = day + timedelta(days=spans)
            changes.append(HoldChange(_utc(_at(prefs, ends_on, end)), releases=True))
    return sorted(changes, key=lambda change: change.at)


def next_hold_change(prefs: Preferences, after: datetime) -> datetime | None:
    """The first moment after `after` (in UTC) at which what `prefs` hold changes.

    None when nothing is ever held (notifications as they happen, no quiet
    hours). The next start or end of quiet hours, or the next summary time.
    """
    moment = _utc(after)
    return next((c.at for c in hold_changes(prefs, moment) if c.at > moment), None)


def released_between(prefs: Preferences, since: datetime, until: datetime) -> datetime | None:
    """The latest moment in (`since`, `until`] at which held notifications arrived, if any.

    The end of quiet hours or a summary time: when the header count of a
    person with held notifications goes up without anything new happening.
    """
    lower, upper = _utc(since), _utc(until)
    # Run every minute for everyone who holds anything: look only as far as the window needs.
    changes = hold_changes(prefs, upper, reach=(upper - lower).days + 2)
    released = [c.at for c in changes if c.releases and lower < c.at <= upper]
    return released[-1] if released else None
