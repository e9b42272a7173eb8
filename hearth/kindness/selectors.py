"""Reads for thank-you notes and the anonymous instance figures.

Thank-you notes are private: every read here is scoped to the one person
the note is from or to, and a block either way hides the notes between two
people, as it hides everything else between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from hearth.accounts.models import Block, User
from hearth.accounts.selectors import relationship_get, user_get_by_username
from hearth.core.ids import snowflake_floor
from hearth.core.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from hearth.kindness.models import Prompt, ThankYouNote

# Gratitude keeps its worth when it is not sent in bulk; ten a day is far
# more than anyone writes by hand, and too few to make notes a spam channel.
NOTES_PER_DAY = 10
NOTE_WINDOW = timedelta(days=1)


def _without_blocks(
    notes: QuerySet[ThankYouNote], *, user: User, other: str
) -> QuerySet[ThankYouNote]:
    """Drop notes whose `other` side ("sender" or "recipient") and `user` block each other."""
    blocked = Block.objects.filter(blocker=user).values("blocked")
    blockers = Block.objects.filter(blocked=user).values("blocker")
    return notes.exclude(**{f"{other}__in": blocked}).exclude(**{f"{other}__in": blockers})


def _received(recipient: User) -> QuerySet[ThankYouNote]:
    notes = ThankYouNote.objects.filter(recipient=recipient, sender__is_active=True)
    return _without_blocks(notes, user=recipient, other="sender")


def note_recipient_get(*, sender: User, username: str) -> User:
    """The person `sender` may thank: active, not themself, no block either way.

    Raises Http404 for all the rest, the same as for a username nobody has,
    so nobody can learn from this page who blocks them.
    """
    person = user_get_by_username(username=username)
    rel = relationship_get(viewer=sender, other=person)
    if rel.is_self or rel.blocking or rel.blocked_by:
        raise Http404("No such person")
    return person


def notes_received(
    *, recipient: User, max_id: int | None, limit: int = DEFAULT_PAGE_SIZE
) -> Page[ThankYouNote]:
    """The notes sent to `recipient`, newest first, a page below `max_id`.

    Leaves out notes from deactivated accounts and across a block.
    """
    return paginate(_received(recipient).select_related("sender"), max_id=max_id, limit=limit)


def notes_sent(
    *, sender: User, max_id: int | None, limit: int = DEFAULT_PAGE_SIZE
) -> Page[ThankYouNote]:
    """The notes `sender` wrote, newest first, a page below `max_id`; none across a block.

    Whether a note was read is the recipient's business and is not part of
    what the sender sees.
    """
    notes = _without_blocks(
        ThankYouNote.objects.filter(sender=sender), user=sender, other="recipient"
    )
    return paginate(notes.select_related("recipient"), max_id=max_id, limit=limit)


def notes_unread_count(*, recipient: User) -> int:
    """How many notes `recipient` can see and has not opened yet."""
    return _received(recipient).filter(read_at__isnull=True).count()


def note_quota_left(*, sender: User, now: datetime | None = None) -> int:
    """How many more notes `sender` may send within the rolling day (0 at the limit)."""
    since = (now or timezone.now()) - NOTE_WINDOW
    # Ids are time-sortable, so this is a range scan on the (sender, -id) index.
    sent = ThankYouNote.objects.filter(sender=sender, id__gte=snowflake_floor(since)).count()
    return max(0, NOTES_PER_DAY - sent)


@dataclass(frozen=True)
class WeekFigures:
    """Reconsider prompts shown in one ISO week and what their authors chose."""

    start: date
    shown: int = 0
    edited: int = 0
    cancelled: int = 0
    sent_anyway: int = 0
    pending: int = 0
    reported_wrong: int = 0

    def share(self, count: int) -> int | None:
        """`count` as a whole percentage of the prompts shown; None for a week without any."""
        return round(100 * count / self.shown) if self.shown else None

    @property
    def edited_share(self) -> int | None:
        return self.share(self.edited)

    @property
    def cancelled_share(self) -> int | None:
        return self.share(self.cancelled)

    @property
    def sent_anyway_share(self) -> int | None:
        return self.share(self.sent_anyway)

    @property
    def pending_share(self) -> int | None:
        return self.share(self.pending)

    @property
    def reconsidered_share(self) -> int | None:
        """Edited or cancelled: the figure X reported as 34% for its own prompt."""
        return self.share(self.edited + self.cancelled)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def iso_week(self) -> str:
        """The week in ISO 8601 form, "2026-W07", as HTML's <time datetime> takes it."""
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class PromptFigures:
    weeks: list[WeekFigures]
    total: WeekFigures

    @property
    def this_week(self) -> WeekFigures:
        return self.weeks[0]


def prompt_figures(*, weeks: int = 12, now: datetime | None = None) -> PromptFigures:
    """Prompt counts for each of the last `weeks` ISO weeks, newest first, this week included.

    Anonymous by construction: only counts leave the database, never an
    author or a text. Weeks start on Monday in the instance's time zone;
    a week without prompts is present with zeros. "This was wrong" reports
    count in the week of the prompt they are about.
    """
    today = timezone.localtime(now or timezone.now()).date()
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first_monday, time.min))
    outcome = Prompt.Outcome
    rows = (
        Prompt.objects.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            shown=Count("id"),
            edited=Count("id", filter=Q(outcome=outcome.EDITED)),
            cancelled=Count("id", filter=Q(outcome=outcome.CANCELLED)),
            sent_anyway=Count("id", filter=Q(outcome=outcome.SENT_ANYWAY)),
            pending=Count("id", filter=Q(outcome=outcome.PENDING)),
            # One-to-one, so the join adds at most one row per prompt.
            reported_wrong=Count("feedback"),
        )
        .order_by("week")
    )
    found: dict[date, WeekFigures] = {}
    for row in rows:
        week = row["week"]
        start = timezone.localtime(week).date() if timezone.is_aware(week) else week.date()
        found[start] = WeekFigures(
            start=start,
            shown=row["shown"],
            edited=row["edited"],
            cancelled=row["cancelled"],
            sent_anyway=row["sent_anyway"],
            pending=row["pending"],
            reported_wrong=row["reported_wrong"],
        )
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks)]
    listed = [found.get(monday, WeekFigures(start=monday)) for monday in mondays]
    total = WeekFigures(
        start=first_monday,
        shown=sum(w.shown for w in listed),
        edited=sum(w.edited for w in listed),
        cancelled=sum(w.cancelled for w in listed),
        sent_anyway=sum(w.sent_anyway for w in listed),
        pending=sum(w.pending for w in listed),
        reported_wrong=sum(w.reported_wrong for w in listed),
    )
    return PromptFigures(weeks=listed, total=total)
