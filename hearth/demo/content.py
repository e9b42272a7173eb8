"""Posts, replies, photos and reactions for the demo, made through the post services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.demo import images
from hearth.demo.script import Entry
from hearth.posts.models import Media, Post, Reaction
from hearth.posts.services import MediaUpload, post_create, reaction_set


class ScriptError(ValueError):
    """The demo script contradicts itself (a reply before its parent, a repeated key)."""


def _chronological(entries: Sequence[Entry]) -> list[Entry]:
    keys = [e.key for e in entries]
    if len(keys) != len(set(keys)):
        raise ScriptError("Every demo post needs its own key.")
    # Oldest first, so the time-sortable ids come out in the same order as the times.
    return sorted(entries, key=lambda e: -e.hours_ago)


def _as_seen_by(user: User, post: Post) -> Post:
    """`post` if `user` may see it, read through the audience rules; ScriptError otherwise."""
    seen = Post.objects.visible_to(user).filter(pk=post.pk).first()
    if seen is None:
        raise ScriptError(f"@{user.username} cannot see post {post.pk} in the demo script.")
    return seen


def _visible_ids(user: User, posts: Iterable[Post]) -> set[int]:
    """The ids among `posts` that `user` may see, read through the audience rules."""
    ids = [post.pk for post in posts]
    return set(Post.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def posts_create(
    users: dict[str, User],
    entries: Sequence[Entry],
    communities: Mapping[str, int] | None = None,
) -> dict[str, Post]:
    """Publish every entry, oldest first, and date each post back to its place in time.

    Ids are made at publication, so creating in order keeps id order and time
    order the same. A reply is written only to a parent its author may see.
    `communities` maps the slugs entries name to community ids.
    """
    communities = communities or {}
    now = timezone.now()
    posts: dict[str, Post] = {}
    for entry in _chronological(entries):
        author = users[entry.author]
        parent: Post | None = None
        if entry.reply_to:
            if entry.reply_to not in posts:
                raise ScriptError(f"{entry.key} replies to {entry.reply_to}, which comes later.")
            parent = _as_seen_by(author, posts[entry.reply_to])
        media = [MediaUpload(file=images.photo(p.scene, p.seed), alt=p.alt) for p in entry.photos]
        post = post_create(
            author=author,
            text=entry.text,
            audience=entry.audience,
            content_warning=entry.warning,
            tone=entry.tone,
            in_reply_to=parent,
            media=media,
            community_id=_community_id(communities, entry),
        )
        post.created_at = now - timedelta(hours=entry.hours_ago)
        posts[entry.key] = post
    # Only timestamps change here, so one transaction is fine: no events ride on it.
    with transaction.atomic():
        for post in posts.values():
            Post.objects.filter(pk=post.pk).update(created_at=post.created_at)
            Media.objects.filter(post=post).update(created_at=post.created_at)
    return posts


def _community_id(communities: Mapping[str, int], entry: Entry) -> int | None:
    if not entry.community:
        return None
    if entry.community not in communities:
        raise ScriptError(f"{entry.key} is addressed to {entry.community}, which the demo lacks.")
    return communities[entry.community]


def reactions_create(
    users: dict[str, User], posts: dict[str, Post], entries: Sequence[Entry]
) -> int:
    """Add each entry's reactions as the people who see the post; returns how many.

    Each reaction is dated a little after its post, never in the future.
    """
    now = timezone.now()
    dated: list[tuple[int, datetime]] = []
    # What each person may see, asked once per person rather than once per reaction.
    seen: dict[str, set[int]] = {}
    for entry in _chronological(entries):
        target = posts[entry.key]
        for index, (username, kind) in enumerate(entry.reaction_pairs()):
            user = users[username]
            if user.pk == target.author_id:
                raise ScriptError(f"@{username} reacts to their own post {entry.key}.")
            if username not in seen:
                seen[username] = _visible_ids(user, posts.values())
            if target.pk not in seen[username]:
                raise ScriptError(f"@{username} cannot see post {target.pk} in the demo script.")
            reaction = reaction_set(post=target, user=user, kind=kind)
            dated.append(
                (reaction.pk, min(now, target.created_at + timedelta(minutes=7 + 23 * index)))
            )
    # Only timestamps change here, so one transaction is fine: no events ride on it.
    with transaction.atomic():
        for pk, when in dated:
            Reaction.objects.filter(pk=pk).update(created_at=when)
    return len(dated)
