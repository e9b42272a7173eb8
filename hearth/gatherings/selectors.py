"""Reading gatherings. Who may see what is decided here, once, in `Access`.

A gathering is visible to anyone, unless a private community hosts it: then
only to its members (communities.selectors.Standing.can_read). Within a
visible gathering, the meeting link is for the host and the people going,
the exact address too when the host keeps it for them, and the attendee
list for signed-in people with no block between them and the host.
Someone the host blocked cannot RSVP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from hearth.accounts.models import Block, User
from hearth.accounts.selectors import Viewer, as_user
from hearth.communities.models import Community, Membership
from hearth.communities.selectors import Standing, standing_get
from hearth.gatherings.models import CalendarFeed, Gathering, Rsvp
from hearth.gatherings.querysets import GatheringQuerySet
from hearth.wellbeing.services import request_preferences

FEED_PAST_DAYS = 90
T = TypeVar("T")


@dataclass(frozen=True)
class Access:
    """What one viewer may see and do at one gathering they may see."""

    gathering: Gathering
    user: User | None
    rsvp: Rsvp | None
    blocking_host: bool
    moderates_community: bool
    banned_from_community: bool = False

    @property
    def is_host(self) -> bool:
        return self.user is not None and self.user.pk == self.gathering.host_id

    @property
    def is_shut_out(self) -> bool:
        """The viewer blocked the host, or the hosting community banned them."""
        return self.blocking_host or self.banned_from_community

    @property
    def is_going(self) -> bool:
        if self.is_host:
            return True
        return (
            not self.is_shut_out and self.rsvp is not None and self.rsvp.state == Rsvp.State.GOING
        )

    @property
    def state(self) -> str:
        if self.rsvp is None or self.is_shut_out:
            return ""
        return self.rsvp.state

    @property
    def is_over(self) -> bool:
        return self.gathering.ends_at <= timezone.now()

    @property
    def can_rsvp(self) -> bool:
        return (
            self.user is not None
            and not self.is_host
            and not self.is_shut_out
            and not self.gathering.is_cancelled
            and not self.is_over
        )

    @property
    def sees_meeting_url(self) -> bool:
        return self.is_going

    @property
    def sees_address(self) -> bool:
        return not self.gathering.address_attendees_only or self.is_going

    @property
    def can_see_attendees(self) -> bool:
        return self.user is not None and not self.blocking_host

    @property
    def can_edit(self) -> bool:
        return self.is_host and not self.gathering.is_cancelled

    @property
    def can_cancel(self) -> bool:
        return (self.is_host or self.moderates_community) and not self.gathering.is_cancelled


def _may_see(viewer: Viewer, gathering: Gathering) -> tuple[bool, bool, bool]:
    """(may see it, moderates its community, is banned from it)."""
    if gathering.community is None:
        return True, False, False
    standing = standing_get(viewer=viewer, community=gathering.community)
    return standing.can_read, standing.can_moderate, standing.role == "banned"


def access_for(*, viewer: Viewer, gathering: Gathering) -> Access | None:
    """The viewer's Access to `gathering`, or None if they may not see it: a private
    community's gathering for a non-member, or any gathering whose host blocked them."""
    visible, moderates, banned = _may_see(viewer, gathering)
    if not visible:
        return None
    user = as_user(viewer)
    rsvp = None
    blockers: set[int] = set()
    if user is not None:
        rsvp = Rsvp.objects.filter(gathering=gathering, user=user).first()
        blockers = set(
            Block.objects.filter(
                Q(blocker=user, blocked_id=gathering.host_id)
                | Q(blocker_id=gathering.host_id, blocked=user)
            ).values_list("blocker_id", flat=True)
        )
    if gathering.host_id in blockers:
        return None
    return Access(
        gathering=gathering,
        user=user,
        rsvp=rsvp,
        blocking_host=user is not None and user.pk in blockers,
        moderates_community=moderates,
        banned_from_community=banned,
    )


def gathering_get_visible(*, viewer: Viewer, gathering_id: int) -> Access:
    """The gathering with this id and the viewer's Access to it.

    Raises Http404 alike for a gathering that does not exist and one the
    viewer may not see (a private community's, for a non-member; any, for
    someone its host blocked).
    """
    gathering = (
        Gathering.objects.select_related("host", "community").filter(pk=gathering_id).first()
    )
    access = access_for(viewer=viewer, gathering=gathering) if gathering is not None else None
    if access is None:
        raise Http404("No such gathering.")
    return access


def attendees(*, access: Access) -> dict[str, list[User]]:
    """People going, maybe and waitlisted, for a viewer allowed to see the list.

    Anyone the viewer blocked, or who blocked the viewer, is left out. Empty
    lists for a viewer who may not see attendees.
    """
    lists: dict[str, list[User]] = {"going": [], "maybe": [], "waitlisted": []}
    if not access.can_see_attendees or access.user is None:
        return lists
    me = access.user
    hidden_ids = set(Block.objects.filter(blocker=me).values_list("blocked_id", flat=True))
    hidden_ids |= set(Block.objects.filter(blocked=me).values_list("blocker_id", flat=True))
    rows = (
        Rsvp.objects.filter(gathering=access.gathering, state__in=list(lists))
        .exclude(user_id__in=hidden_ids)
        .select_related("user")
        .order_by("position", "created_at", "id")
    )
    for rsvp in rows:
        lists[rsvp.state].append(rsvp.user)
    return lists


def places_left(*, gathering: Gathering) -> int | None:
    """Free places (None when there is no limit)."""
    if gathering.capacity is None:
        return None
    going = Rsvp.objects.filter(gathering=gathering, state=Rsvp.State.GOING).count()
    return max(gathering.capacity - going, 0)


def _without_blocks(found: GatheringQuerySet, user: User | None) -> GatheringQuerySet:
    """`found` minus gatherings whose host has a block with `user`, either way."""
    if user is None:
        return found
    found = found.exclude(host__in=Block.objects.filter(blocker=user).values("blocked"))
    return found.exclude(host__in=Block.objects.filter(blocked=user).values("blocker"))


def _listed(viewer: Viewer) -> GatheringQuerySet:
    """Visible gatherings, minus those of hosts with a block either way (lists only)."""
    found = Gathering.objects.visible_to(viewer).select_related("host", "community")
    return _without_blocks(found, as_user(viewer))


# Lists are read in pages, by keyset on (starts_at, id): a page costs the same deep
# into the list, and gatherings added while someone reads do not shift it.
LIST_PAGE = 50
YOURS_PAGE = 100
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list; `next_after` is the `after` of the next page, None at the end."""

    items: list[T]
    next_after: str | None

    @property
    def has_next(self) -> bool:
        return self.next_after is not None


def _cursor(gathering: Gathering) -> str:
    micros = (gathering.starts_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{gathering.pk}"


def _cursor_parse(after: str | None) -> tuple[datetime, int] | None:
    """The position `after` names; None for absent or junk (which reads as the first page)."""
    if not after:
        return None
    micros, _, pk = after.partition(".")
    if not (micros.lstrip("-").isdigit() and pk.isdigit()) or len(after) > 42:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


def _page(
    found: GatheringQuerySet, *, after: str | None, limit: int, newest_first: bool = False
) -> ListPage[Gathering]:
    position = _cursor_parse(after)
    if position is not None:
        at, pk = position
        if newest_first:
            found = found.filter(Q(starts_at__lt=at) | Q(starts_at=at, pk__lt=pk))
        else:
            found = found.filter(Q(starts_at__gt=at) | Q(starts_at=at, pk__gt=pk))
    order = ("-starts_at", "-id") if newest_first else ("starts_at", "id")
    rows = list(found.order_by(*order)[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return ListPage(rows, _cursor(rows[-1]))
    return ListPage(rows, None)


def gatherings_upcoming(
    *, viewer: Viewer, after: str | None = None, limit: int = LIST_PAGE
) -> ListPage[Gathering]:
    """Gatherings not yet over and not cancelled, soonest first, a page from `after` on."""
    found = _listed(viewer).filter(cancelled_at__isnull=True, ends_at__gt=timezone.now())
    return _page(found, after=after, limit=limit)


def gatherings_past(
    *, viewer: Viewer, after: str | None = None, limit: int = LIST_PAGE
) -> ListPage[Gathering]:
    """Gatherings that are over (cancelled ones left out), latest first, a page from `after` on."""
    found = _listed(viewer).filter(cancelled_at__isnull=True, ends_at__lte=timezone.now())
    return _page(found, after=after, limit=limit, newest_first=True)


def gatherings_of(
    *, user: User, after: str | None = None, limit: int = YOURS_PAGE
) -> ListPage[tuple[Gathering, str]]:
    """Upcoming gatherings someone hosts or answered (not "can't"), with their answer,
    soonest first, a page from `after` on.

    Cancelled ones stay on the list, marked, so nobody misses the news.
    """
    answered = dict(
        Rsvp.objects.filter(user=user)
        .exclude(state=Rsvp.State.CANT)
        .values_list("gathering_id", "state")
    )
    found = (
        _without_blocks(Gathering.objects.visible_to(user), user)
        .select_related("host", "community")
        .filter(Q(host=user) | Q(pk__in=list(answered)), ends_at__gt=timezone.now())
    )
    page = _page(found, after=after, limit=limit)
    return ListPage(
        [(g, "host" if g.host_id == user.pk else answered.get(g.pk, "")) for g in page.items],
        page.next_after,
    )


def gatherings_soon(*, user: User, within: timedelta, limit: int = 3) -> list[Gathering]:
    """Gatherings starting within `within` that someone hosts or said going or maybe to."""
    now = timezone.now()
    answered = Rsvp.objects.filter(
        user=user, state__in=[Rsvp.State.GOING, Rsvp.State.MAYBE]
    ).values("gathering_id")
    return list(
        _without_blocks(Gathering.objects.visible_to(user), user)
        .filter(Q(host=user) | Q(pk__in=answered), cancelled_at__isnull=True)
        .filter(starts_at__gt=now, starts_at__lte=now + within)
        .order_by("starts_at", "id")[:limit]
    )


def gatherings_attended(*, user: User, start: datetime, end: datetime) -> list[Gathering]:
    """Gatherings that took place between `start` and `end` which someone hosted or went to."""
    went = Rsvp.objects.filter(user=user, state=Rsvp.State.GOING).values("gathering_id")
    return list(
        _without_blocks(Gathering.objects.visible_to(user), user)
        .filter(Q(host=user) | Q(pk__in=went), cancelled_at__isnull=True)
        .filter(starts_at__gte=start, starts_at__lte=end)
        .order_by("starts_at", "id")
    )


def community_upcoming(*, viewer: Viewer, community: Community, limit: int = 5) -> list[Gathering]:
    """A community's next gatherings, for its page; empty for a viewer who may not read it."""
    return list(
        _listed(viewer)
        .filter(community=community, cancelled_at__isnull=True, ends_at__gt=timezone.now())
        .order_by("starts_at", "id")[:limit]
    )


def calendar_feed_user(*, token: str) -> User:
    """The owner of a personal calendar feed token; Http404 for an unknown or reset one."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    return feed.user


def calendar_feed_token(*, user: User) -> str | None:
    return CalendarFeed.objects.filter(user=user).values_list("token", flat=True).first()


def calendar_feed_gatherings(*, user: User) -> list[Access]:
    """What someone's calendar feed holds: gatherings they host or answered going, maybe or
    waitlisted, from FEED_PAST_DAYS ago on, cancelled ones included (so calendars drop them),
    each with the user's Access (which decides the location and link shown)."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    mine = Rsvp.objects.filter(user=user).exclude(state=Rsvp.State.CANT).values("gathering_id")
    found = (
        _without_blocks(Gathering.objects.visible_to(user), user)
        .select_related("host", "community")
        .filter(Q(host=user) | Q(pk__in=mine), ends_at__gte=since)
        .order_by("starts_at", "id")[:500]
    )
    # Blocks and community visibility are already filtered above; the answers
    # and community standings are read for all of them at once (calendar apps
    # poll this address, so no query per gathering).
    gatherings = list(found)
    rsvps = {
        r.gathering_id: r
        for r in Rsvp.objects.filter(user=user, gathering__in=[g.pk for g in gatherings])
    }
    memberships = {
        m.community_id: m
        for m in Membership.objects.filter(
            user=user, community_id__in={g.community_id for g in gatherings if g.community_id}
        )
    }
    result = []
    for gathering in gatherings:
        moderates = banned = False
        if gathering.community is not None:
            standing = Standing(
                community=gathering.community,
                membership=memberships.get(gathering.community.pk),
                signed_in=True,
            )
            moderates, banned = standing.can_moderate, standing.role == "banned"
        result.append(
            Access(
                gathering=gathering,
                user=user,
                rsvp=rsvps.get(gathering.pk),
                blocking_host=False,
                moderates_community=moderates,
                banned_from_community=banned,
            )
        )
    return result


def viewer_time_zone(request: HttpRequest) -> str | None:
    """The signed-in viewer's time zone from their wellbeing settings, or None.

    None for someone logged out and for the default "UTC" (which nearly
    everyone has because they never chose): times then show in the host's
    zone, and the browser adds the viewer's where JavaScript runs. Reuses
    the preferences the wellbeing middleware loaded for the request.
    """
    user = as_user(request.user)
    if user is None:
        return None
    tz = request_preferences(request, user).time_zone
    if not tz or tz == "UTC":
        return None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return tz
