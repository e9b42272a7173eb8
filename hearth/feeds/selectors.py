"""Reading home feeds and notifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hearth.accounts.models import Block, Mute, User
from hearth.core.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from hearth.feeds.models import FeedEntry, FeedMarker, Notification
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.models import Post
from hearth.posts.selectors import posts_by_ids


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
    queryset = _shown(user, Notification.objects.select_related("actor", "post__author"))
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
