"""Sharing ("boosts", Mastodon's reblogs): a public post handed on to one's followers.

A share never makes a post readable: whoever reads one goes through
PostQuerySet.visible_to for the post itself, so a share of a post that was
deleted, removed by a community's moderators, or is hidden from the reader
(a block) shows nothing. A share carries no count anyone but the post's
author sees, as with reactions.

Shares reach home feeds through the feeds app (feeds.services.boost_fanout,
on BoostCreated); the post card shows them with the attribute that
`boost_attach` sets, read back with `shared_boost`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hearth.accounts.models import Block, Mute, User
from hearth.accounts.selectors import Viewer, as_user
from hearth.core.events import emit
from hearth.posts.events import BoostCreated, BoostRemoved
from hearth.posts.models import Audience, Boost, Post
from hearth.posts.selectors import post_get_visible, posts_by_ids
from hearth.posts.services import PostError

# The attribute of a Post instance that says it is shown as someone's share.
SHARED_ATTR = "shared_boost"


def _blocked_either_way(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _place_refusal(post: Post) -> str:
    """Why nobody may share `post` (its state, audience or place); "" if it may be shared."""
    if post.is_deleted:
        return "That post has been deleted."
    if post.is_removed:
        return "This post was removed by a community's moderators."
    if post.audience == Audience.UNLISTED:
        # Mastodon lets unlisted posts be boosted; Hearth does not: a share
        # would carry the post into timelines its author kept it out of.
        return "This post is kept out of timelines, so it can't be shared."
    if post.audience != Audience.PUBLIC:
        return "Only public posts can be shared: this one is meant for fewer people."
    community = post.community if post.community_id is not None else None
    if community is not None and community.visibility != "public":
        return "Posts in a private community stay inside it."
    return ""


def boost_refusal(*, booster: User, post: Post) -> str:
    """Why `booster` may not share `post`, in words for them; "" if they may.

    Only a live public post outside any private community may be shared:
    sharing hands it to the booster's followers, so it must already be
    readable by anyone (followers-only, close-circle, mentioned-only and
    supporters-only posts are not). An unlisted post is readable by anyone
    but kept out of timelines by its author, and a share would put it in
    them, so it is refused too (Mastodon allows it; Hearth does not). A
    post removed by moderators, and a block either way between booster and
    author, refuse too. Sharing one's own post is allowed, as on Mastodon.
    """
    refusal = _place_refusal(post)
    if refusal:
        return refusal
    if post.author_id != booster.pk and _blocked_either_way(booster.pk, post.author_id):
        return "You can't share this post."
    return ""


def shareable(post: Post) -> bool:
    """True if the post's audience and place allow sharing it at all (whoever asks)."""
    return not _place_refusal(post)


@transaction.atomic
def boost_create(*, booster: User, post: Post) -> Boost:
    """Share a public post with the booster's followers (Mastodon's reblog).

    The caller must have read `post` through an access helper for
    `booster`. Raises PostError with boost_refusal's reason when it may not
    be shared; nothing is saved then. Sharing a post twice returns the first
    share and emits nothing. Emits BoostCreated for a new share.
    """
    refusal = boost_refusal(booster=booster, post=post)
    if refusal:
        raise PostError(refusal)
    boost, created = Boost.objects.get_or_create(booster=booster, post=post)
    if created:
        emit(BoostCreated(boost_id=boost.pk))
    return boost


@transaction.atomic
def boost_remove(*, booster: User, post: Post) -> bool:
    """Take back `booster`'s share of `post`; False if there was none (idempotent).

    Its entries in followers' home feeds go with it (a cascade); the
    notification its author got stays, so sharing again does not tell them
    twice. Emits BoostRemoved when a share was removed.
    """
    boost = Boost.objects.filter(booster=booster, post=post).first()
    if boost is None:
        return False
    boost_id = boost.pk
    boost.delete()
    emit(BoostRemoved(boost_id=boost_id, booster_id=booster.pk, post_id=post.pk))
    return True


def boosts_remove_across_block(*, blocker_id: int, blocked_id: int) -> int:
    """After a block, take back the shares either person made of the other's posts.

    A block forbids sharing either way (boost_refusal); this undoes the
    shares made before it. Emits BoostRemoved for each, so the streams
    that showed them are told. Returns how many; running it again removes
    nothing more.
    """
    with transaction.atomic():
        shares = list(
            Boost.objects.filter(
                Q(booster_id=blocker_id, post__author_id=blocked_id)
                | Q(booster_id=blocked_id, post__author_id=blocker_id)
            )
        )
        for boost in shares:
            boost_id, booster_id, post_id = boost.pk, boost.booster_id, boost.post_id
            boost.delete()
            emit(BoostRemoved(boost_id=boost_id, booster_id=booster_id, post_id=post_id))
    return len(shares)


def boosts_forget_post(*, post_id: int) -> int:
    """Remove every share of a deleted post; returns how many.

    Called by the feeds app after the readers' streams were told (the
    shares say whose feeds held the post). A post that is not deleted keeps
    its shares.
    """
    _, by_model = Boost.objects.filter(post_id=post_id, post__deleted_at__isnull=False).delete()
    return by_model.get(Boost._meta.label, 0)


# --- reading ----------------------------------------------------------------------


def boost_attach(post: Post, boost: Boost) -> Post:
    """Mark `post` as shown because of `boost` (the card's "… shared", the API's reblog)."""
    setattr(post, SHARED_ATTR, boost)
    return post


def shared_boost(post: Post) -> Boost | None:
    """The share `post` is shown as, if boost_attach marked it."""
    boost = getattr(post, SHARED_ATTR, None)
    return boost if isinstance(boost, Boost) else None


def boost_get_visible(*, viewer: Viewer, boost_id: int) -> Post:
    """The shared post, marked with the share, if `viewer` may see both.

    Raises Http404 alike for a missing share, a share by someone the viewer
    blocks or is blocked by, and a post the viewer may not see.
    """
    boost = Boost.objects.select_related("booster").filter(pk=boost_id).first()
    if boost is None:
        raise Http404("No such share")
    user = as_user(viewer)
    others = user is not None and user.pk != boost.booster_id
    if others and user is not None and _blocked_either_way(user.pk, boost.booster_id):
        raise Http404("No such share")
    post = post_get_visible(viewer=viewer, post_id=boost.post_id)
    return boost_attach(post, boost)


def boosts_by(*, booster: User) -> QuerySet[Boost]:
    """`booster`'s shares of live posts, with the booster loaded; page them by id.

    Not checked against a viewer: read the posts through shared_posts,
    which leaves out what the viewer may not see (a page may then hold
    fewer, as a home feed's may). Checking each page's few posts costs
    less than asking the database for every post the viewer may read.
    The caller must have read `booster` through an access helper.
    """
    return Boost.objects.filter(
        booster=booster, post__deleted_at__isnull=True, post__removed_at__isnull=True
    ).select_related("booster")


def boosts_on_profile(*, viewer: Viewer, booster: User) -> QuerySet[Boost]:
    """`booster`'s shares that `viewer` may see listed on the booster's profile; page them by id.

    Only shares of posts that could still be shared (live, public, outside
    any private community), so a page holds no share the reader would drop:
    for such a post, PostQuerySet.visible_to comes down to the blocks,
    which are checked here too; the caller still reads the posts through
    it. Left out: every share across a block either way between viewer and
    booster, shares of posts whose author blocks the viewer or is blocked
    by them or muted by them (as on home), and shares of the booster's own
    posts, which the profile lists in their own place, once. With the
    booster loaded.
    """
    shares = (
        Boost.objects.filter(
            booster=booster,
            post__deleted_at__isnull=True,
            post__removed_at__isnull=True,
            post__audience=Audience.PUBLIC,
        )
        .filter(Q(post__community__isnull=True) | Q(post__community__visibility="public"))
        .exclude(post__author=booster)
        .select_related("booster")
    )
    user = as_user(viewer)
    if user is None or user.pk == booster.pk:
        return shares
    either_way = Block.objects.filter(
        Q(blocker=user, blocked=OuterRef("booster_id"))
        | Q(blocked=user, blocker=OuterRef("booster_id"))
    )
    author_either_way = Block.objects.filter(
        Q(blocker=user, blocked=OuterRef("post__author_id"))
        | Q(blocked=user, blocker=OuterRef("post__author_id"))
    )
    return (
        shares.exclude(Exists(either_way))
        .exclude(Exists(author_either_way))
        .exclude(post__author__in=Mute.objects.filter(muter=user).values("muted"))
    )


def shared_posts(*, viewer: Viewer, boosts: Sequence[Boost]) -> list[Post]:
    """Card data for the shared posts, each marked with its share, in the shares' order.

    Shares of posts the viewer may not see are left out, so `boosts` may
    come from a list that was not checked (a home feed's stale entry).
    """
    ids = [b.post_id for b in boosts]
    allowed = set(Post.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    cards = {p.pk: p for p in posts_by_ids([i for i in ids if i in allowed], viewer)}
    return [boost_attach(cards[b.post_id], b) for b in boosts if b.post_id in cards]


def boosts_for_author(*, viewer: Viewer, post: Post) -> QuerySet[Boost]:
    """Who shared the post, for its author only (newest first; page by id); nobody else sees.

    People the author blocks or is blocked by are left out.
    """
    user = as_user(viewer)
    if user is None or user.pk != post.author_id:
        return Boost.objects.none()
    return (
        Boost.objects.filter(post=post)
        .exclude(booster__in=Block.objects.filter(blocker=user).values("blocked"))
        .exclude(booster__in=Block.objects.filter(blocked=user).values("blocker"))
        .select_related("booster")
        .order_by("-id")
    )


def boost_counts_for_author(*, viewer: Viewer, post_ids: Iterable[int]) -> dict[int, int]:
    """How often each of the viewer's own posts among `post_ids` was shared.

    Counts Hearth hides are the author's alone: posts by anyone else are
    not counted (and not in the answer).
    """
    user = as_user(viewer)
    ids = list(post_ids)
    if user is None or not ids:
        return {}
    rows = (
        Boost.objects.filter(post_id__in=ids, post__author=user)
        .values("post_id")
        .annotate(n=Count("pk"))
        .values_list("post_id", "n")
    )
    return {post_id: n for post_id, n in rows}
