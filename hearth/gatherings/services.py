"""Changing gatherings: creating, editing, cancelling, RSVPs with a waitlist, reminders.

Every change that touches who is going locks the gathering's row first
(SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers anyway), so
two people taking the last place at the same moment never both get it.
Bad input raises GatheringError with a message per form field, before
anything is written. Who may act is checked here; a refusal raises
PermissionError and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from hearth.accounts.models import Block, User
from hearth.communities.models import Community, LogEntry
from hearth.communities.selectors import standing_get
from hearth.core.events import emit
from hearth.gatherings.events import (
    GatheringCancelled,
    GatheringReminderDue,
    GatheringSuggested,
    RsvpPromoted,
)
from hearth.gatherings.models import (
    CalendarFeed,
    CommunitySuggestion,
    Gathering,
    Rsvp,
    calendar_token,
)
from hearth.posts.models import Post

MAX_DURATION = timedelta(days=14)
DAY_REMINDER = timedelta(hours=24)
HOUR_REMINDER = timedelta(hours=1)
# "Lots of online conversation and no gathering in 60 days" (issue 6), in numbers.
SUGGEST_QUIET_DAYS = 60
SUGGEST_ACTIVE_DAYS = 30
SUGGEST_MIN_POSTS = 40
SUGGEST_MIN_AUTHORS = 5


class GatheringError(ValueError):
    """Bad input, in words for people: `errors` maps form field names (or None) to messages."""

    def __init__(self, errors: dict[str | None, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Details:
    """What a host types about a gathering; times are naive, in the zone `tz`."""

    title: str
    tz: str
    starts_local: datetime
    ends_local: datetime
    description: str = ""
    online: bool = False
    area: str = ""
    address: str = ""
    address_attendees_only: bool = False
    meeting_url: str = ""
    capacity: int | None = None


def zone_names() -> list[str]:
    """Every IANA zone this machine knows, sorted; the form's choices."""
    return sorted(available_timezones())


def local_to_utc(local: datetime, tz: str) -> datetime:
    """`local` (naive, as shown on a clock in `tz`) as an aware UTC datetime.

    Raises GatheringError for a time the clocks skip (the hour lost when
    daylight saving starts). A time that happens twice (the hour repeated
    when it ends) is taken as the first of the two, as `fold=0` means.
    """
    zone = ZoneInfo(tz)
    aware = local.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise GatheringError(
            {
                None: f"{local:%H:%M} on {local:%-d %B %Y} doesn't exist in {tz}: "
                "the clocks go forward then. Please choose another time."
            }
        )
    return utc


def _url_problem(url: str) -> str:
    if not url:
        return ""
    if len(url) > 500:
        return "The meeting link can be up to 500 characters."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "The meeting link must be a web address starting with https:// or http://."
    if any(c.isspace() for c in url):
        return "The meeting link can't contain spaces."
    return ""


def _validate(
    details: Details, *, creating: bool
) -> tuple[dict[str, object], dict[str | None, str]]:
    """Check everything a host typed; returns (clean model fields, errors by field)."""
    errors: dict[str | None, str] = {}
    title = details.title.strip()
    if not title:
        errors["title"] = "Give the gathering a title."
    elif len(title) > 120:
        errors["title"] = "The title can be up to 120 characters."
    if len(details.description) > 5000:
        errors["description"] = "The description can be up to 5000 characters."
    starts = ends = None
    try:
        ZoneInfo(details.tz)
        if details.tz not in available_timezones():
            raise ZoneInfoNotFoundError(details.tz)
    except (ZoneInfoNotFoundError, ValueError):
        errors["tz"] = "Choose a time zone from the list, like Europe/Berlin."
    else:
        for name, local in (("starts", details.starts_local), ("ends", details.ends_local)):
            try:
                value = local_to_utc(local, details.tz)
            except GatheringError as exc:
                errors[name] = str(exc)
                continue
            if name == "starts":
                starts = value
            else:
                ends = value
    if starts is not None and ends is not None:
        if ends <= starts:
            errors["ends"] = "The end must be after the start."
        elif ends - starts > MAX_DURATION:
            errors["ends"] = "A gathering can last up to 14 days."
    if creating and starts is not None and starts < timezone.now():
        errors["starts"] = "The start is in the past. Choose a time that is still to come."
    address = details.address.strip()
    area = details.area.strip()
    url = details.meeting_url.strip()
    if not details.online and not address:
        errors["address"] = "Where is it? Add an address, or mark the gathering as online."
    if len(address) > 300:
        errors["address"] = "The address can be up to 300 characters."
    if len(area) > 120:
        errors["area"] = "The area can be up to 120 characters."
    problem = _url_problem(url)
    if problem:
        errors["meeting_url"] = problem
    if details.capacity is not None and details.capacity < 1:
        errors["capacity"] = "Capacity must be at least 1, or left empty for no limit."
    fields: dict[str, object] = {
        "title": title,
        "description": details.description.strip(),
        "tz": details.tz,
        "starts_at": starts,
        "ends_at": ends,
        "online": details.online,
        "area": area,
        "address": address,
        "address_attendees_only": details.address_attendees_only and bool(address),
        "meeting_url": url,
        "capacity": details.capacity,
    }
    return fields, errors


def community_may_host(*, user: User, community: Community) -> bool:
    """Members who may post in a community may host gatherings for it."""
    standing = standing_get(viewer=user, community=community)
    return standing.can_post


def gathering_create(
    *, host: User, details: Details, community: Community | None = None
) -> Gathering:
    """Create a gathering with `host` going to it.

    Raises GatheringError (every bad field at once: empty title, unknown
    zone, a time the clocks skip, an end not after the start, a start in the
    past, an in-person gathering without an address, a meeting link that is
    not http(s), a capacity below 1) and PermissionError if `host` may not
    post in `community`. Nothing is saved then.
    """
    fields, errors = _validate(details, creating=True)
    if community is not None and not community_may_host(user=host, community=community):
        errors["community"] = f"You can host gatherings for {community.name} once you're a member."
    if errors:
        raise GatheringError(errors)
    with transaction.atomic():
        gathering = Gathering.objects.create(host=host, community=community, **fields)
        Rsvp.objects.create(gathering=gathering, user=host, state=Rsvp.State.GOING)
    return gathering


def _locked(gathering_id: int) -> Gathering:
    return Gathering.objects.select_for_update().get(pk=gathering_id)


def _going_count(gathering: Gathering) -> int:
    return Rsvp.objects.filter(gathering=gathering, state=Rsvp.State.GOING).count()


def _promote(gathering: Gathering) -> list[int]:
    """Move people from the waitlist to going while places are free. Call with the row locked."""
    waiting = Rsvp.objects.filter(gathering=gathering, state=Rsvp.State.WAITLISTED).order_by(
        "position", "id"
    )
    if gathering.capacity is not None:
        free = gathering.capacity - _going_count(gathering)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = []
    for rsvp in waiting:
        rsvp.state = Rsvp.State.GOING
        rsvp.position = None
        rsvp.save(update_fields=["state", "position", "updated_at"])
        promoted.append(rsvp.user_id)
        emit(RsvpPromoted(gathering_id=gathering.pk, user_id=rsvp.user_id))
    return promoted


def gathering_update(*, gathering: Gathering, actor: User, details: Details) -> Gathering:
    """Change what a gathering says; only its host may, and not once it is cancelled.

    Raises GatheringError as gathering_create does (a start already in the
    past may stay as it was), and for a capacity below the number already
    going; PermissionError for anyone but the host. A larger capacity
    promotes people from the waitlist (emitting RsvpPromoted for each).
    """
    if actor.pk != gathering.host_id:
        raise PermissionError("Only the host can change this gathering.")
    fields, errors = _validate(details, creating=False)
    with transaction.atomic():
        current = _locked(gathering.pk)
        if current.is_cancelled:
            raise GatheringError({None: "This gathering was cancelled; it can't be changed."})
        if fields["starts_at"] is not None and fields["starts_at"] != current.starts_at:
            assert isinstance(fields["starts_at"], datetime)
            if fields["starts_at"] < timezone.now() and "starts" not in errors:
                errors["starts"] = "The new start is in the past. Choose a time still to come."
        going = _going_count(current)
        capacity = details.capacity
        if capacity is not None and capacity >= 1 and capacity < going:
            errors["capacity"] = (
                f"{going} people are already going, so the capacity can't be below {going}. "
                "Ask people to change their answer, or keep the capacity."
            )
        if errors:
            raise GatheringError(errors)
        for name, value in fields.items():
            setattr(current, name, value)
        current.sequence = F("sequence") + 1
        current.save()
        current.refresh_from_db()
        _promote(current)
    return current


def gathering_cancel(*, gathering: Gathering, actor: User) -> Gathering:
    """Cancel a gathering (its host or its community's moderators may); idempotent.

    Emits GatheringCancelled once, so everyone who answered going, maybe or
    waitlisted is told and subscribed calendars mark it cancelled.
    """
    allowed = actor.pk == gathering.host_id
    if not allowed and gathering.community is not None:
        allowed = standing_get(viewer=actor, community=gathering.community).can_moderate
    if not allowed:
        raise PermissionError("Only the host or the community's moderators can cancel it.")
    with transaction.atomic():
        current = _locked(gathering.pk)
        if current.is_cancelled:
            return current
        current.cancelled_at = timezone.now()
        current.sequence = F("sequence") + 1
        current.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        current.refresh_from_db()
        emit(GatheringCancelled(gathering_id=current.pk, cancelled_by_id=actor.pk))
    return current


def rsvp_set(*, gathering: Gathering, user: User, state: str) -> Rsvp:
    """Answer going, maybe or can't go. "Going" to a full gathering joins the waitlist.

    Whoever leaves "going" frees a place that the first person waiting
    takes at once (RsvpPromoted). The host always goes. Raises
    PermissionError if there is a block either way between the host and
    `user`, or the hosting community banned `user`; GatheringError if the
    gathering is cancelled or over, or the state is unknown. The caller
    checked that `user` may see the gathering.
    """
    if state not in (Rsvp.State.GOING, Rsvp.State.MAYBE, Rsvp.State.CANT):
        raise GatheringError({None: "Choose going, maybe or can't go."})
    if Block.objects.filter(
        Q(blocker_id=gathering.host_id, blocked=user)
        | Q(blocker=user, blocked_id=gathering.host_id)
    ).exists():
        raise PermissionError("You can't answer this gathering.")
    if (
        gathering.community is not None
        and standing_get(viewer=user, community=gathering.community).role == "banned"
    ):
        raise PermissionError("You can't answer this gathering.")
    if user.pk == gathering.host_id:
        raise GatheringError({None: "You're hosting. To call it off, cancel the gathering."})
    with transaction.atomic():
        current = _locked(gathering.pk)
        if current.is_cancelled:
            raise GatheringError({None: "This gathering was cancelled."})
        if current.ends_at <= timezone.now():
            raise GatheringError({None: "This gathering is over."})
        rsvp = Rsvp.objects.filter(gathering=current, user=user).first()
        was = rsvp.state if rsvp else None
        if rsvp is None:
            rsvp = Rsvp(gathering=current, user=user)
        if state == Rsvp.State.GOING:
            if was in (Rsvp.State.GOING, Rsvp.State.WAITLISTED):
                return rsvp
            if current.capacity is None or _going_count(current) < current.capacity:
                rsvp.state, rsvp.position = Rsvp.State.GOING, None
            else:
                last = Rsvp.objects.filter(gathering=current).aggregate(m=Max("position"))["m"]
                rsvp.state, rsvp.position = Rsvp.State.WAITLISTED, (last or 0) + 1
        else:
            rsvp.state, rsvp.position = state, None
        rsvp.save()
        if was == Rsvp.State.GOING and state != Rsvp.State.GOING:
            _promote(current)
    return rsvp


def rsvps_end_for_block(*, blocker_id: int, blocked_id: int) -> int:
    """After a block: remove each one's answers to the other's gatherings, either way.

    As a block ends follows both ways, it ends attendance both ways: the
    blocked person leaves the blocker's gatherings (and with that the
    meeting link and attendees-only address), and the blocker leaves the
    blocked person's, whom they no longer wish to meet. Answers are deleted,
    not turned into "can't go", so nothing is shown that neither of them
    said. Each place freed at a gathering still to come goes to the first
    person waiting (RsvpPromoted). Nobody is told: telling would give the
    block away. Idempotent; returns how many answers were removed.
    """
    pairs = Q(gathering__host_id=blocker_id, user_id=blocked_id) | Q(
        gathering__host_id=blocked_id, user_id=blocker_id
    )
    removed = 0
    gathering_ids = list(
        Rsvp.objects.filter(pairs).values_list("gathering_id", flat=True).distinct()
    )
    for gathering_id in gathering_ids:
        with transaction.atomic():
            current = _locked(gathering_id)
            rows = Rsvp.objects.filter(pairs, gathering=current)
            freed = rows.filter(state=Rsvp.State.GOING).exists()
            removed += rows.delete()[0]
            if freed and not current.is_cancelled and current.ends_at > timezone.now():
                _promote(current)
    return removed


def rsvps_end_for_ban(*, log_id: int) -> int:
    """After a community ban (moderation log entry `log_id`): leave its gatherings to come.

    The banned person's answers to the community's gatherings that have not
    ended are deleted, and each place freed goes to the first person
    waiting. They were told of the ban itself (with its reason), so nothing
    more is sent. Past gatherings keep their answers. A mute changes
    nothing here (a muted member may still come). Idempotent; returns how
    many answers were removed.
    """
    entry = LogEntry.objects.filter(pk=log_id, action=LogEntry.Action.BAN).first()
    if entry is None or entry.target_user_id is None:
        return 0
    rows = Rsvp.objects.filter(
        gathering__community_id=entry.community_id,
        gathering__ends_at__gt=timezone.now(),
        user_id=entry.target_user_id,
    )
    removed = 0
    for gathering_id in list(rows.values_list("gathering_id", flat=True).distinct()):
        with transaction.atomic():
            current = _locked(gathering_id)
            mine = rows.filter(gathering=current)
            freed = mine.filter(state=Rsvp.State.GOING).exists()
            removed += mine.delete()[0]
            if freed and not current.is_cancelled:
                _promote(current)
    return removed


# --- reminders and suggestions (run periodically; see hearth.gatherings.periodic) -----


def _claim_reminders(kind: str, now: datetime, lo: datetime, hi: datetime) -> int:
    field = "reminded_hour_for" if kind == "hour" else "reminded_day_for"
    not_yet = Q(**{f"{field}__isnull": True}) | ~Q(**{field: F("starts_at")})
    due = Gathering.objects.filter(
        not_yet, cancelled_at__isnull=True, starts_at__gt=lo, starts_at__lte=hi
    ).values_list("pk", "starts_at")
    sent = 0
    for pk, starts_at in due:
        marks: dict[str, object] = {field: F("starts_at")}
        if kind == "hour":
            # An hour's notice makes a day's pointless: never send it after this one.
            marks["reminded_day_for"] = F("starts_at")
        with transaction.atomic():
            # The conditional UPDATE is the claim: of several workers, one wins.
            claimed = (
                Gathering.objects.filter(not_yet, pk=pk, starts_at=starts_at).update(**marks) == 1
            )
            if claimed:
                emit(GatheringReminderDue(pk, kind, int(starts_at.timestamp())))
                sent += 1
    return sent


def reminders_send(*, now: datetime | None = None) -> int:
    """Mark and announce reminders due now: an hour before and a day before each start.

    Each (gathering, start time, kind) is announced once, however many
    workers run this at once; moving a gathering makes its reminders due
    again. Emits GatheringReminderDue; returns how many were announced.
    """
    now = now or timezone.now()
    sent = _claim_reminders("hour", now, now, now + HOUR_REMINDER)
    sent += _claim_reminders("day", now, now + HOUR_REMINDER, now + DAY_REMINDER)
    return sent


def gathering_suggestions(*, now: datetime | None = None) -> list[int]:
    """Gently suggest a gathering to the moderators of busy communities that meet only online.

    A community qualifies with at least SUGGEST_MIN_POSTS posts by at least
    SUGGEST_MIN_AUTHORS people in the last SUGGEST_ACTIVE_DAYS days, no
    gathering (cancelled ones aside) starting in the last
    SUGGEST_QUIET_DAYS days or later, an age of SUGGEST_QUIET_DAYS days, and
    no suggestion in that time. Emits GatheringSuggested per community;
    returns their ids.
    """
    now = now or timezone.now()
    quiet_since = now - timedelta(days=SUGGEST_QUIET_DAYS)
    busy = (
        Post.objects.live()
        .filter(
            community__isnull=False,
            removed_at__isnull=True,
            created_at__gte=now - timedelta(days=SUGGEST_ACTIVE_DAYS),
        )
        .values("community_id")
        .annotate(n=Count("id"), people=Count("author_id", distinct=True))
        .filter(n__gte=SUGGEST_MIN_POSTS, people__gte=SUGGEST_MIN_AUTHORS)
        .values_list("community_id", flat=True)
    )
    candidates = (
        Community.objects.filter(pk__in=busy, created_at__lte=quiet_since)
        .exclude(
            pk__in=Gathering.objects.filter(
                community__isnull=False, cancelled_at__isnull=True, starts_at__gte=quiet_since
            ).values("community_id")
        )
        .exclude(
            pk__in=CommunitySuggestion.objects.filter(suggested_at__gte=quiet_since).values(
                "community_id"
            )
        )
        .values_list("pk", flat=True)
    )
    suggested = []
    for community_id in candidates:
        with transaction.atomic():
            claimed = (
                CommunitySuggestion.objects.filter(
                    community_id=community_id, suggested_at__lt=quiet_since
                ).update(suggested_at=now)
                == 1
            )
            if not claimed:
                try:
                    with transaction.atomic():
                        CommunitySuggestion.objects.create(
                            community_id=community_id, suggested_at=now
                        )
                    claimed = True
                except IntegrityError:  # another worker, or suggested recently
                    claimed = False
            if claimed:
                emit(GatheringSuggested(community_id=community_id))
                suggested.append(community_id)
    return suggested


# --- calendar feeds ----------------------------------------------------------


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give `user` a new secret feed URL; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = calendar_token()
        feed.save(update_fields=["token", "created_at"])
    return feed
