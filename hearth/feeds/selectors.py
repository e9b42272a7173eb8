"""Reading home feeds and notifications."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from hearth.accounts.models import Block, Mute, User
from hearth.core.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from hearth.feeds.models import FeedEntry, FeedMarker, Notification
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.models import Post
from hearth.posts.selectors import posts_by_ids

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
    """
    marker = feed_marker(user=viewer) if line is None else line
    entries = FeedEntry.objects.filter(owner=viewer).exclude(
        author__in=Mute.objects.filter(muter=viewer).values("muted")
    )
    entries = entries.filter(post_id__lte=marker) if older else entries.filter(post_id__gt=marker)
    page: Page[FeedEntry] = paginate(
        entries.only("post_id"), max_id=max_id, key="post_id", limit=limit
    )
    ids = [e.post_id for e in page.items]
    allowed = set(Post.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    posts = posts_by_ids([i for i in ids if i in allowed], viewer)
    # A hidden post leaves a gap rather than being replaced: the page may
    # hold fewer than `limit` posts, but next_max_id still follows the
    # entries, so no post is skipped or shown twice.
    posts = keyword_filters_active(viewer=viewer, context=KeywordFilter.Context.HOME).apply(posts)
    return HomePage(
        posts=posts,
        next_max_id=page.next_max_id,
        caught_up=not older and page.next_max_id is None,
        older=older,
        marker=marker,
        newest_id=ids[0] if ids else None,
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


def notifications_page(*, user: User, max_id: int | None) -> Page[Notification]:
    """A page of the user's notifications, newest first.

    Notifications stay stored, but one whose post the user may no longer
    see (an unfollow, a block since) is left out, and so are those from
    people the user blocks or is blocked by. The user's keyword filters for
    notifications leave out those whose post they hide, and set
    `filtered_as` on the post of those they warn about.
    """
    queryset = _shown(
        user, Notification.objects.select_related("actor", "post__author", "community")
    )
    page = paginate(queryset, max_id=max_id)
    shown = _visible(user, list(page.items))
    active = keyword_filters_active(viewer=user, context=KeywordFilter.Context.NOTIFICATIONS)
    return Page(active.apply_to(shown, _post_of), page.next_max_id)


UNREAD_SHOWN_UP_TO = 99


def unread_count(*, user: User) -> int:
    """Unread notifications the list would show, counted up to UNREAD_SHOWN_UP_TO + 1.

    The header shows "99+" past that; counting further would cost a query
    per page view for a number nobody needs exactly. Notifications the
    user's keyword filters hide are not counted.
    """
    active = keyword_filters_active(viewer=user, context=KeywordFilter.Context.NOTIFICATIONS)
    unread = _shown(user, Notification.objects.filter(read_at__isnull=True))
    if active.hides:
        # The texts are needed only to leave out what a hide filter hides.
        unread = unread.select_related("post").only(
            "pk", "post", "post__author", "post__text", "post__content_warning"
        )
    else:
        unread = unread.only("pk", "post_id")
    shown = _visible(user, list(unread.order_by("-id")[: UNREAD_SHOWN_UP_TO + 1]))
    return len(active.apply_to(shown, _post_of) if active.hides else shown)


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
    filters for the home feed applied.
    """
    entries = FeedEntry.objects.filter(owner=viewer).exclude(
        author__in=Mute.objects.filter(muter=viewer).values("muted")
    )
    rows = _window_keys(entries.only("post_id"), "post_id", window)
    ids = [e.post_id for e in rows]
    allowed = set(Post.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    posts = posts_by_ids([i for i in ids if i in allowed], viewer)
    posts = keyword_filters_active(viewer=viewer, context=KeywordFilter.Context.HOME).apply(posts)
    return WindowPage(posts, ids[0] if ids else None, ids[-1] if ids else None)


def notifications_window(
    *, user: User, window: Window, kinds: Collection[str] | None = None
) -> WindowPage[Notification]:
    """A window of the user's notifications (of `kinds`, if given), newest first.

    The same rules as notifications_page: nothing from people blocked
    either way, nothing about a post the user may no longer see, the
    notification keyword filters applied.
    """
    queryset = _shown(
        user, Notification.objects.select_related("actor", "post__author", "community")
    )
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
