"""Bookmarks ("Saved"): posts someone keeps to read again, seen by nobody else.

A bookmark never makes a post readable: the saved list is read through
PostQuerySet.visible_to, so a post that was deleted, removed by a
community's moderators, or is no longer visible (an unfollow, a block)
drops out of it, and comes back if it becomes visible again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from hearth.accounts.models import User
from hearth.accounts.selectors import Viewer, as_user
from hearth.posts.models import Bookmark, Post
from hearth.posts.querysets import PostQuerySet
from hearth.posts.selectors import posts_visible
from hearth.posts.services import PostError


def bookmark_add(*, user: User, post: Post) -> Bookmark:
    """Save `post` for `user`; saving it again changes nothing.

    The caller must have read `post` through an access helper for `user`.
    Raises PostError for a deleted post. Emits no event: nobody is told.
    """
    if post.is_deleted:
        raise PostError("That post has been deleted.")
    bookmark, _created = Bookmark.objects.get_or_create(user=user, post=post)
    return bookmark


def bookmark_remove(*, user: User, post_id: int) -> None:
    """Forget `user`'s bookmark of `post_id`, if there is one. Emits no event."""
    Bookmark.objects.filter(user=user, post_id=post_id).delete()


def bookmarked_posts(*, viewer: User) -> PostQuerySet:
    """The posts `viewer` saved that they may still read, each with `bookmark_id`.

    Not ordered: page it by `bookmark_id` (newest saved first), which sorts
    by when the post was saved.
    """
    return (
        posts_visible(viewer=viewer)
        .filter(bookmarks__user=viewer)
        .annotate(bookmark_id=F("bookmarks__id"))
    )


def bookmarked_ids(*, viewer: Viewer, post_ids: Iterable[int]) -> set[int]:
    """Which of `post_ids` the viewer saved (none for an anonymous viewer)."""
    user = as_user(viewer)
    ids = list(post_ids)
    if user is None or not ids:
        return set()
    return set(
        Bookmark.objects.filter(user=user, post_id__in=ids).values_list("post_id", flat=True)
    )
