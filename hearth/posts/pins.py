"""Pinned posts: up to MAX_PINNED of an author's own posts, shown first on their profile.

As on Mastodon, only posts meant for more than a few people can be pinned:
public, unlisted and followers-only ones. A close-circle, mentioned-only or
supporters-only post stays where it is. Who may read a pinned post does
not change: the profile reads pins through PostQuerySet.visible_to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from hearth.accounts.models import User
from hearth.accounts.selectors import Viewer
from hearth.posts.models import MAX_PINNED, Audience, PinnedPost, Post
from hearth.posts.selectors import posts_visible
from hearth.posts.services import PostError

PINNABLE = frozenset({Audience.PUBLIC, Audience.UNLISTED, Audience.FOLLOWERS})
LIMIT_REACHED = f"You can pin up to {MAX_PINNED} posts; unpin one first."


def pinnable(post: Post) -> bool:
    """Whether the post's audience allows pinning it (its author is checked by post_pin)."""
    return post.audience in PINNABLE and not post.is_deleted


def post_pin(*, post: Post, actor: User) -> PinnedPost:
    """Pin `actor`'s own `post` to their profile; pinning it again changes nothing.

    Raises PermissionError if `actor` did not write it, PostError for a
    deleted post, an audience that cannot be pinned (PINNABLE), or once
    MAX_PINNED live posts are pinned. Emits no event.
    """
    if post.author_id != actor.pk:
        raise PermissionError("Only the author can pin a post.")
    if post.is_deleted:
        raise PostError("That post has been deleted.")
    if post.audience not in PINNABLE:
        raise PostError("Only public and followers-only posts can be pinned.")
    try:
        with transaction.atomic():
            # Lock the author's row so that two pins at once cannot both pass
            # the limit on PostgreSQL; SQLite lets one writer in at a time.
            User.objects.select_for_update().filter(pk=actor.pk).exists()
            existing = PinnedPost.objects.filter(post=post).first()
            if existing is not None:
                return existing
            live = PinnedPost.objects.filter(author=actor, post__deleted_at__isnull=True)
            if live.count() >= MAX_PINNED:
                raise PostError(LIMIT_REACHED)
            return PinnedPost.objects.create(author=actor, post=post)
    except IntegrityError:
        # The same post pinned twice at once: the other request's pin stands.
        return PinnedPost.objects.get(post=post)


def post_unpin(*, post: Post, actor: User) -> None:
    """Unpin `actor`'s own `post` (nothing happens if it was not pinned).

    Raises PermissionError if `actor` did not write it. Emits no event.
    """
    if post.author_id != actor.pk:
        raise PermissionError("Only the author can unpin a post.")
    PinnedPost.objects.filter(post=post).delete()


def pinned_posts(*, viewer: Viewer, author: User) -> list[Post]:
    """`author`'s pinned posts that `viewer` may read, the most recently pinned first."""
    return list(
        posts_visible(viewer=viewer)
        .filter(author=author, profile_pin__isnull=False)
        .annotate(pin_id=F("profile_pin__id"))
        .order_by("-pin_id")[:MAX_PINNED]
    )


def pinned_ids(*, post_ids: Iterable[int]) -> set[int]:
    """Which of `post_ids` (already read through an access helper) are pinned by their author."""
    ids = list(post_ids)
    if not ids:
        return set()
    return set(PinnedPost.objects.filter(post_id__in=ids).values_list("post_id", flat=True))
