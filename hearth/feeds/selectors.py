"""Reading home feeds and notifications."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hearth.accounts.models import Block, Mute, User
from hearth.core.pagination import DEFAULT_PAGE_SIZE, Page, merge_newest, paginate
from hearth.feeds.models import (
    BoostEntry,
    FeedEntry,
    FeedMarker,
    Notification,
    ReadingListMember,
)
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.boosts import boost_attach
from hearth.posts.models import Boost, Post
from hearth.posts.selectors import posts_by_ids
from hearth.wellbeing.models import Preferences
from hearth.wellbeing.quiet import NO_HOLD, Hold
from hearth.wellbeing.selectors import notification_hold

T = TypeVar("T")


@dataclass(frozen=True)
class HomePage:
    posts: list[Post]
    next_max_id: int | None
    caught_up: bool
    older: bool
    marker: int
    # The newest entry read for this page, shown or not (a filter or a stale
    # entry may leave it out): where the caught-up line moves to.
    newest_id: int | None = None


def feed_marker(*, user: User) -> int:
    return (
        FeedMarker.objects.filter(user=user).values_list("last_seen_post_id", flat=True).first()
        or 0
    )


def feed_marker_at(*, user: User) -> tuple[int, datetime | None]:
    """The caught-up line and when it last moved (None: the person never caught up)."""
    row = (
        FeedMarker.objects.filter(user=user).values_list("last_seen_post_id", "updated_at").first()
    )
    return (row[0], row[1]) if row else (0, None)


# A row of a home feed: its key (the post's id, or the share's for a
# share: when it arrived), the post's id, and the share if it is one.
FeedRow = tuple[int, tuple[int, Boost | None]]


def _shares(viewer: User) -> QuerySet[BoostEntry]:
    """The shares in the viewer's home feed that may show, each with its share and booster.

    Not by or of people the viewer mutes, not by people blocked either way,
    and not of a post the feed holds directly: that shows where it is, once.
    """
    muted = Mute.objects.filter(muter=viewer).values("muted")
    return (
        BoostEntry.objects.filter(owner=viewer)
        .exclude(boost__booster__in=muted)
        .exclude(post__author__in=muted)
        .exclude(boost__booster__in=Block.objects.filter(blocker=viewer).values("blocked"))
        .exclude(boost__booster__in=Block.objects.filter(blocked=viewer).values("blocker"))
        .exclude(Exists(FeedEntry.objects.filter(owner=viewer, post_id=OuterRef("post_id"))))
        .select_related("boost__booster")
    )


def _direct(viewer: User) -> QuerySet[FeedEntry]:
    # Members of the viewer's exclusive lists are read in those lists only (hearth.feeds.lists).
    exclusive = ReadingListMember.objects.filter(
        reading_list__owner=viewer, reading_list__exclusive=True
    ).values("member")
    return (
        FeedEntry.objects.filter(owner=viewer)
        .exclude(author__in=Mute.objects.filter(muter=viewer).values("muted"))
        .exclude(author__in=exclusive)
    )


def _cards(viewer: User, rows: list[FeedRow]) -> list[Post]:
    """The posts of a page of feed rows, in order, re-checked against the audience rules.

    A shared post comes marked with its share (posts.boosts.boost_attach);
    a post is shown once even if two rows name it.
    """
    ids = [post_id for _, (post_id, _) in rows]
    allowed = set(Post.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    cards = {p.pk: p for p in posts_by_ids([i for i in ids if i in allowed], viewer)}
    posts: list[Post] = []
    for _, (post_id, boost) in rows:
        post = cards.pop(post_id, None)
        if post is not None:
            posts.append(boost_attach(post, boost) if boost is not None else post)
    return posts


def home_feed(
    *,
    viewer: User,
    max_id: int | None,
    older: bool,
    line: int | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
) -> HomePage:
    """One page of the viewer's home feed.

    `line` is the caught-up line of this visit (the stored marker if None).
    Unless `older`, only posts newer than the line are read; `caught_up` is
    true on the page that reaches it. With `older`, posts at or below the
    line are read. Muted people's posts are left
    out, and every post is re-checked against the audience rules, so a stale
    entry (an unfollow still being processed) never shows a post the viewer
    may no longer see. The viewer's keyword filters for the home feed drop
    matching posts or set `filtered_as` on them (hearth.kindness.filters).

    Shares by people the viewer follows (BoostEntry) come at the time they
    were shared, marked with the share; the line and `max_id` compare both
    kinds of id, which sort by time alike (core.ids). Two range scans, one
    per kind, merged: a fixed number of queries whatever the page holds.
    """
    marker = feed_marker(user=viewer) if line is None else line
    entries = _direct(viewer)
    entries = entries.filter(post_id__lte=marker) if older else entries.filter(post_id__gt=marker)
    shares = _shares(viewer)
    shares = shares.filter(boost_id__lte=marker) if older else shares.filter(boost_id__gt=marker)
    page: Page[FeedEntry] = paginate(
        entries.only("post_id"), max_id=max_id, key="post_id", limit=limit
    )
    shared: Page[BoostEntry] = paginate(shares, max_id=max_id, key="boost_id", limit=limit)
    rows: list[FeedRow] = merge_newest(
        [(e.post_id, (e.post_id, None)) for e in page.items],
        [(s.boost_id, (s.post_id, s.boost)) for s in shared.items],
        limit=limit,
    )
    more = page.has_next or shared.has_next or len(page.items) + len(shared.items) > limit
    next_max_id = rows[-1][0] if more and rows else None
    # A hidden post leaves a gap rather than being replaced: the page may
    # hold fewer than `limit` posts, but next_max_id still follows the
    # entries, so no post is skipped or shown twice.
    posts = _cards(viewer, rows)
    posts = keyword_filters_active(viewer=viewer, context=KeywordFilter.Context.HOME).apply(posts)
    return HomePage(
        posts=posts,
        next_max_id=next_max_id,
        caught_up=not older and next_max_id is None,
        older=older,
        marker=marker,
        newest_id=rows[0][0] if rows else None,
    )


def _shown(user: User, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """Leave out notifications from people the user blocks or is blocked by."""
    pairs = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    )
    hidden_people = {pk for pair in pairs for pk in pair} - {user.pk}
    return queryset.filter(recipient=user).exclude(actor__in=hidden_people)


def _visible(user: User, notifications: list[Notification]) -> list[Notification]:
    """Leave out notifications about posts the user may (no longer) see."""
    post_ids = [n.post_id for n in notifications if n.post_id is not None]
    visible = set(
        Post.objects.visible_to(user).filter(pk__in=post_ids).values_list("pk", flat=True)
    )
    return [n for n in notifications if n.post_id is None or n.post_id in visible]


def _post_of(notification: Notification) -> Post | None:
    return notification.post


def _letting_through(window: Q, hold: Hold) -> Q:
    return window & ~Q(kind__in=hold.exempt) if hold.exempt else window


def _held(hold: Hold) -> Q | None:
    """Notifications `hold` keeps back now (hearth.wellbeing.quiet), as a filter."""
    if hold.held_since is None:
        return None
    return _letting_through(Q(created_at__gt=hold.held_since), hold)


def _summarised(hold: Hold) -> Q | None:
    """Notifications of the last finished quiet period or digest: shown as one summary."""
    if hold.summary_from is None or hold.summary_to is None:
        return None
    inside = Q(created_at__gt=hold.summary_from, created_at__lte=hold.summary_to)
    return _letting_through(inside, hold)


SUMMARY_SHOWN_UP_TO = 50


@dataclass(frozen=True)
class NotificationsPage:
    """One page of the notifications list, with quiet hours and digests applied.

    `summary`: on the first page, the notifications of the last finished
    quiet period or digest, shown together (they are not in `items`).
    `held`: how many are waiting right now (up to UNREAD_SHOWN_UP_TO + 1),
    unless the person asked to see them anyway.
    """

    items: list[Notification]
    next_max_id: int | None
    hold: Hold = NO_HOLD
    summary: list[Notification] = field(default_factory=list)
    held: int = 0

    @property
    def newest_id(self) -> int | None:
        ids = [n.pk for n in [*self.summary, *self.items]]
        return max(ids) if ids else None


def notifications_page(
    *, user: User, max_id: int | None, now: datetime | None = None, show_held: bool = False
) -> NotificationsPage:
    """A page of the user's notifications, newest first.

    Notifications stay stored, but one whose post the user may no longer
    see (an unfollow, a block since) is left out, and so are those from
    people the user blocks or is blocked by. The user's keyword filters for
    notifications leave out those whose post they hide, and set
    `filtered_as` on the post of those they warn about. Notifications held
    by quiet hours or a digest wait (unless `show_held`), and those of the
    last quiet period or digest come as one summary on the first page.
    """
    hold = notification_hold(user_id=user.pk, now=now or timezone.now())
    queryset = _shown(
        user, Notification.objects.select_related("actor", "post__author", "community")
    )
    held = _held(hold)
    held_count = 0
    if held is not None and not show_held:
        held_count = queryset.filter(held)[: UNREAD_SHOWN_UP_TO + 1].count()
        queryset = queryset.exclude(held)
    active = keyword_filters_active(viewer=user, context=KeywordFilter.Context.NOTIFICATIONS)
    summary: list[Notification] = []
    summarised = _summarised(hold)
    if summarised is not None:
        if max_id is None:
            rows = list(queryset.filter(summarised).order_by("-id")[:SUMMARY_SHOWN_UP_TO])
            summary = active.apply_to(_visible(user, rows), _post_of)
        queryset = queryset.exclude(summarised)
    page = paginate(queryset, max_id=max_id)
    shown = _visible(user, list(page.items))
    return NotificationsPage(
        active.apply_to(shown, _post_of), page.next_max_id, hold, summary, held_count
    )


UNREAD_SHOWN_UP_TO = 99


def unread_count(*, user: User, prefs: Preferences | None = None, hold: Hold | None = None) -> int:
    """Unread notifications the list would show, counted up to UNREAD_SHOWN_UP_TO + 1.

    The header shows "99+" past that; counting further would cost a query
    per page view for a number nobody needs exactly. Notifications the
    user's keyword filters hide are not counted.
    Held notifications (quiet hours, digests) are not counted until they
    arrive, and those that arrived as one summary count as one. A caller
    that has the preferences or the hold already passes them (no re-read).
    """
    if hold is None:
        hold = notification_hold(user_id=user.pk, now=timezone.now(), prefs=prefs)
    active = keyword_filters_active(viewer=user, context=KeywordFilter.Context.NOTIFICATIONS)
    unread = _shown(user, Notification.objects.filter(read_at__isnull=True))
    held = _held(hold)
    if held is not None:
        unread = unread.exclude(held)
    fields = ("pk", "post_id", "created_at", "kind")
    if active.hides:
        # The texts are needed only to leave out what a hide filter hides.
        unread = unread.select_related("post").only(
            *fields, "post__author", "post__text", "post__content_warning"
        )
    else:
        unread = unread.only(*fields)
    shown = _visible(user, list(unread.order_by("-id")[: UNREAD_SHOWN_UP_TO + 1]))
    if active.hides:
        shown = active.apply_to(shown, _post_of)
    in_summary = [n for n in shown if hold.in_summary(n.created_at, n.kind)]
    return len(shown) - len(in_summary) + (1 if in_summary else 0)


@dataclass(frozen=True)
class Window:
    """A page addressed as Mastodon's client API does (see docs/api.md, pagination).

    `max_id`: older than it; `since_id`: newer than it, newest first;
    `min_id`: the ones just after it, oldest of them first in the query but
    returned newest first like every page.
    """

    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = DEFAULT_PAGE_SIZE


def _window_keys(queryset: QuerySet[Any], key: str, window: Window) -> list[Any]:
    if window.max_id is not None:
        queryset = queryset.filter(**{f"{key}__lt": window.max_id})
    if window.since_id is not None:
        queryset = queryset.filter(**{f"{key}__gt": window.since_id})
    if window.min_id is not None:
        queryset = queryset.filter(**{f"{key}__gt": window.min_id})
        rows = list(queryset.order_by(key)[: window.limit])
        rows.reverse()
        return rows
    return list(queryset.order_by(f"-{key}")[: window.limit])


@dataclass(frozen=True)
class WindowPage(Generic[T]):
    items: list[T]
    # The newest and oldest keys read for this page, shown or not, so the
    # next and previous pages neither skip nor repeat what a filter hid.
    newest_id: int | None
    oldest_id: int | None


def home_timeline(*, viewer: User, window: Window) -> WindowPage[Post]:
    """A window of the viewer's home feed, for the client API.

    Unlike home_feed there is no caught-up line: clients page on their own
    and keep their place with markers. The same rules hold: muted people
    left out, every post re-checked against the audience rules, keyword
    filters for the home feed applied, shares at the time they were made.
    """
    direct: list[FeedEntry] = _window_keys(_direct(viewer).only("post_id"), "post_id", window)
    shared: list[BoostEntry] = _window_keys(_shares(viewer), "boost_id", window)
    rows: list[FeedRow] = merge_newest(
        [(e.post_id, (e.post_id, None)) for e in direct],
        [(s.boost_id, (s.post_id, s.boost)) for s in shared],
        limit=window.limit,
        oldest=window.min_id is not None,
    )
    posts = _cards(viewer, rows)
    posts = keyword_filters_active(viewer=viewer, context=KeywordFilter.Context.HOME).apply(posts)
    return WindowPage(posts, rows[0][0] if rows else None, rows[-1][0] if rows else None)


def notifications_window(
    *, user: User, window: Window, kinds: Collection[str] | None = None
) -> WindowPage[Notification]:
    """A window of the user's notifications (of `kinds`, if given), newest first.

    The same rules as notifications_page: nothing from people blocked
    either way, nothing about a post the user may no longer see, the
    notification keyword filters applied, held notifications left out
    until quiet hours end or the digest time comes.
    """
    queryset = _shown(
        user, Notification.objects.select_related("actor", "post__author", "community")
    )
    held = _held(notification_hold(user_id=user.pk, now=timezone.now()))
    if held is not None:
        # Plain clients have no summary: held notifications appear when released.
        queryset = queryset.exclude(held)
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    rows: list[Notification] = _window_keys(queryset, "id", window)
    shown = _visible(user, rows)
    active = keyword_filters_active(viewer=user, context=KeywordFilter.Context.NOTIFICATIONS)
    return WindowPage(
        active.apply_to(shown, _post_of),
        rows[0].pk if rows else None,
        rows[-1].pk if rows else None,
    )


def notification_get(*, user: User, notification_id: int) -> Notification:
    """One of the user's notifications that the list would show; Http404 otherwise."""
    found = list(
        _shown(
            user, Notification.objects.select_related("actor", "post__author", "community")
        ).filter(pk=notification_id)
    )
    shown = _visible(user, found)
    if not shown:
        raise Http404("No such notification")
    return shown[0]


def notifications_last_read_id(*, user: User) -> int:
    """The id of the newest notification the user has read; 0 if none."""
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=False)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
