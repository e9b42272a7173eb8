"""Reading home feeds and notifications."""

from __future__ import annotations

from dataclasses import dataclass

from hearth.accounts.models import Mute, User
from hearth.core.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from hearth.feeds.models import FeedEntry, FeedMarker, Notification
from hearth.posts.models import Post
from hearth.posts.selectors import posts_by_ids


@dataclass(frozen=True)
class HomePage:
    posts: list[Post]
    next_max_id: int | None
    caught_up: bool
    older: bool
    marker: int


def feed_marker(*, user: User) -> int:
    return FeedMarker.objects.filter(user=user).values_list("last_seen_post_id", flat=True).first() or 0


def home_feed(
    *, viewer: User, max_id: int | None, older: bool, limit: int = DEFAULT_PAGE_SIZE
) -> HomePage:
    """One page of the viewer's home feed.

    Unless `older`, only posts newer than the caught-up marker are read;
    `caught_up` is true on the page that reaches the marker. With `older`,
    posts at or below the marker are read. Muted people's posts are left
    out, and every post is re-checked against the audience rules, so a stale
    entry (an unfollow still being processed) never shows a post the viewer
    may no longer see.
    """
    marker = feed_marker(user=viewer)
    entries = FeedEntry.objects.filter(owner=viewer).exclude(
        author__in=Mute.objects.filter(muter=viewer).values("muted")
    )
    if older:
        entries = entries.filter(post_id__lte=marker)
    else:
        entries = entries.filter(post_id__gt=marker)
    page: Page[FeedEntry] = paginate(entries.only("post_id"), max_id=max_id, key="post_id", limit=limit)
    ids = [e.post_id for e in page.items]
    allowed = set(Post.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    posts = posts_by_ids([i for i in ids if i in allowed], viewer)
    return HomePage(
        posts=posts,
        next_max_id=page.next_max_id,
        caught_up=not older and page.next_max_id is None,
        older=older,
        marker=marker,
    )


def notifications_page(*, user: User, max_id: int | None) -> Page[Notification]:
    queryset = Notification.objects.filter(recipient=user).select_related("actor", "post__author")
    return paginate(queryset, max_id=max_id)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
