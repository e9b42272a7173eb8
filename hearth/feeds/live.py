"""Live updates from feeds: the "new posts" marker and the notifications badge (core.live).

Called after the change is committed (a task's own work, or on_commit). A
person's channel is `user:<id>`; nothing but ids and a count is sent, so
the page reloads or follows a link to see the thing itself, through the
usual access checks.
"""

from __future__ import annotations

from django.db.models import F

from hearth.accounts.models import User
from hearth.core import live
from hearth.feeds.models import FeedEntry
from hearth.feeds.selectors import unread_count


def _listening() -> bool:
    # Without Redis, and outside the one-process demo, no page could receive it.
    return bool(live.page_url())


def announce_new_post(*, post_id: int) -> int:
    """Tell everyone whose home feed just got `post_id` (but its author) there is something new.

    Returns how many were told. One query and one Redis round trip.
    """
    if not _listening():
        return 0
    owners = list(
        FeedEntry.objects.filter(post_id=post_id)
        .exclude(owner_id=F("author_id"))
        .values_list("owner_id", flat=True)
    )
    live.publish_many([f"user:{owner}" for owner in owners], "feed", {"post": str(post_id)})
    return len(owners)


def announce_notification(*, recipient_id: int) -> None:
    """Send the recipient's new unread count, for the badge in the header."""
    if not _listening():
        return
    user = User.objects.filter(pk=recipient_id, is_active=True).first()
    if user is None:
        return
    live.publish(f"user:{recipient_id}", "notification", {"unread": unread_count(user=user)})
