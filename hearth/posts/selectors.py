"""Reading posts. Every read a viewer makes goes through these access helpers.

A post that does not exist and a post the viewer may not see raise the same
Http404, so nobody can probe for posts they are not meant to know about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.http import Http404

from hearth.accounts.models import Follow, User
from hearth.accounts.selectors import Viewer, as_user
from hearth.core.pagination import DEFAULT_PAGE_SIZE, Page, merge_newest, paginate
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.models import Audience, Bookmark, Boost, Media, Post, Reaction, Tone
from hearth.posts.querysets import PostQuerySet


def _decorated(queryset: PostQuerySet, viewer: Viewer) -> PostQuerySet:
    """Load what a post card shows: author, photos, the viewer's own reaction, bookmark, share."""
    user = as_user(viewer)
    mine = Reaction.objects.filter(user=user) if user else Reaction.objects.none()
    saved = Bookmark.objects.filter(user=user) if user else Bookmark.objects.none()
    # Whether the viewer shared the post (the Share button's state): a
    # subquery on the unique (booster, post) index, not one more query.
    shared = (
        Exists(Boost.objects.filter(booster=user, post=OuterRef("pk"))) if user else Value(False)
    )
    return (
        queryset.select_related("author", "in_reply_to__author", "community", "milestone")
        .prefetch_related(
            Prefetch("media", queryset=Media.objects.order_by("position", "id")),
            Prefetch("reactions", queryset=mine, to_attr="my_reactions"),
            Prefetch("bookmarks", queryset=saved, to_attr="my_bookmarks"),
        )
        .annotate(viewer_boosted=shared)
    )


def posts_by_ids(ids: Sequence[int], viewer: Viewer) -> list[Post]:
    """Card data for posts whose ids were already checked by an access helper, in that order."""
    loaded = {p.pk: p for p in _decorated(Post.objects.filter(pk__in=ids), viewer)}
    return [loaded[i] for i in ids if i in loaded]


def post_get_visible(*, viewer: Viewer, post_id: int, username: str | None = None) -> Post:
    """The post if `viewer` may see it (and, if given, `username` wrote it).

    Raises Http404 alike for missing, deleted, forbidden and mismatched posts.
    """
    queryset = _decorated(Post.objects.visible_to(viewer), viewer)
    if username is not None:
        queryset = queryset.filter(author__username__iexact=username)
    post: Post | None = queryset.filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post")
    return post


def post_get_own(*, viewer: Viewer, post_id: int) -> Post:
    """A live post the viewer wrote; Http404 otherwise (same as not found)."""
    user = as_user(viewer)
    post: Post | None = (
        Post.objects.live().filter(pk=post_id, author=user).first() if user else None
    )
    if post is None:
        raise Http404("No such post")
    return post


def media_get_own(*, viewer: Viewer, media_id: int) -> Media:
    """A photo on a live post that the viewer uploaded; Http404 otherwise."""
    user = as_user(viewer)
    media = (
        Media.objects.filter(pk=media_id, owner=user, post__deleted_at__isnull=True)
        .select_related("post__author")
        .first()
        if user
        else None
    )
    if media is None:
        raise Http404("No such photo")
    return media


def media_staged_own(*, viewer: Viewer, media_ids: Sequence[int]) -> list[Media]:
    """The viewer's uploaded photos that are not on a post yet, in the order asked."""
    user = as_user(viewer)
    if user is None or not media_ids:
        return []
    found = {m.pk: m for m in Media.objects.filter(pk__in=media_ids, owner=user, post__isnull=True)}
    return [found[i] for i in media_ids if i in found]


def _screened(page: Page[Post], viewer: Viewer) -> Page[Post]:
    """The viewer's keyword filters for profiles and tag pages, applied to one page.

    A hidden post leaves a gap; next_max_id still follows the rows read, so
    nothing is skipped or shown twice.
    """
    screen = keyword_filters_active(viewer=as_user(viewer), context=KeywordFilter.Context.PUBLIC)
    return Page(screen.apply(page.items), page.next_max_id)


def profile_posts(
    *, viewer: Viewer, author: User, max_id: int | None, limit: int = DEFAULT_PAGE_SIZE
) -> Page[Post]:
    """A page of `author`'s posts and replies, and of their shares, that `viewer` may see.

    Newest first, a share at the time it was made and marked with it
    (posts.boosts.boost_attach); `max_id` compares both kinds of id, which
    sort by time alike (core.ids). Which shares are listed is
    posts.boosts.boosts_on_profile's rule; every post, shared or not, is
    read through PostQuerySet.visible_to. Two range scans, one per kind,
    merged as on home: a fixed number of queries whatever the page holds.
    The viewer's own keyword filters apply, except on their own profile.
    """
    # posts.boosts reads posts through this module, so it is imported here.
    from hearth.posts.boosts import boost_attach, boosts_on_profile

    own: Page[Post] = paginate(
        Post.objects.visible_to(viewer).filter(author=author).only("id"), max_id=max_id, limit=limit
    )
    shared: Page[Boost] = paginate(
        boosts_on_profile(viewer=viewer, booster=author), max_id=max_id, limit=limit
    )
    rows = merge_newest(
        [(p.pk, (p.pk, None)) for p in own.items],
        [(b.pk, (b.post_id, b)) for b in shared.items],
        limit=limit,
    )
    more = own.has_next or shared.has_next or len(own.items) + len(shared.items) > limit
    ids = [post_id for _, (post_id, _) in rows]
    readable = Post.objects.visible_to(viewer).filter(pk__in=ids)
    cards = {p.pk: p for p in _decorated(readable, viewer)}
    # A post the re-check leaves out leaves a gap; next_max_id follows the
    # rows read, so nothing is skipped or shown twice.
    items = [
        boost_attach(cards[post_id], boost) if boost is not None else cards[post_id]
        for _, (post_id, boost) in rows
        if post_id in cards
    ]
    page = Page(items, rows[-1][0] if more and rows else None)
    user = as_user(viewer)
    return page if user is not None and user.pk == author.pk else _screened(page, viewer)


def tag_posts(*, viewer: Viewer, tag: str, max_id: int | None) -> Page[Post]:
    """A page of public posts with `tag`, without people the viewer blocks or is blocked by."""
    # Tag pages are public places: a private community's posts stay inside it.
    queryset = (
        Post.objects.visible_to(viewer)
        .filter(audience=Audience.PUBLIC, tags__tag=tag.lower())
        .exclude(community__visibility="private")
    )
    return _screened(paginate(_decorated(queryset, viewer), max_id=max_id), viewer)


@dataclass(frozen=True)
class ThreadItem:
    post: Post
    depth: int


@dataclass(frozen=True)
class Thread:
    ancestors: Sequence[Post]
    focus: Post
    replies: Sequence[ThreadItem]
    parent_missing: bool


def thread_get(*, viewer: Viewer, focus: Post) -> Thread:
    """The thread around `focus` as `viewer` may see it.

    Ancestors run from the root down to the focus's parent; a hidden or
    deleted ancestor ends the chain (`parent_missing`). Replies below the
    focus come depth-first in order of time; replies under a hidden post are
    left out with it.

    The viewer's keyword filters for threads apply to the replies only (the
    focus and its ancestors were opened on purpose): a reply a filter hides
    is left out and its own replies take its place one level up, so they do
    not look like answers to a neighbour and the viewer's replies never go
    missing; a reply a warn filter matches gets `filtered_as`.
    """
    if focus.thread_root_id is None:
        return Thread([], focus, [], focus.in_reply_to_id is not None)
    visible = {
        p.pk: p
        for p in _decorated(
            Post.objects.visible_to(viewer).filter(thread_root_id=focus.thread_root_id), viewer
        ).order_by("id")
    }
    ancestors: list[Post] = []
    parent_id = focus.in_reply_to_id
    while parent_id is not None and parent_id in visible:
        parent = visible[parent_id]
        ancestors.append(parent)
        parent_id = parent.in_reply_to_id
    ancestors.reverse()

    children: dict[int, list[Post]] = {}
    for post in visible.values():
        if post.in_reply_to_id is not None:
            children.setdefault(post.in_reply_to_id, []).append(post)
    replies: list[ThreadItem] = []
    screen = keyword_filters_active(viewer=as_user(viewer), context=KeywordFilter.Context.THREADS)

    def walk(parent_pk: int, depth: int) -> None:
        for child in children.get(parent_pk, []):
            if not screen.keeps(child):
                walk(child.pk, depth)
                continue
            replies.append(ThreadItem(child, depth))
            walk(child.pk, depth + 1)

    walk(focus.pk, 1)
    return Thread(ancestors, focus, replies, parent_id is not None)


def reactions_for_author(*, viewer: Viewer, post: Post) -> list[Reaction]:
    """Who reacted and how, for the post's author only; everyone else gets []."""
    user = as_user(viewer)
    if user is None or user.pk != post.author_id:
        return []
    return list(post.reactions.select_related("user").order_by("-created_at"))


def are_friends(*, a: User, b: User) -> bool:
    """Follow each other and have replied to each other before.

    Between friends, profanity alone is banter and does not prompt (X
    stopped prompting such pairs); a threat or a slur still does.
    """
    if a.pk == b.pk:
        return True
    accepted = Follow.objects.filter(state=Follow.State.ACCEPTED)
    if not (
        accepted.filter(follower=a, followee=b).exists()
        and accepted.filter(follower=b, followee=a).exists()
    ):
        return False
    replies = Post.objects.live()
    return (
        replies.filter(author=a, in_reply_to__author=b).exists()
        and replies.filter(author=b, in_reply_to__author=a).exists()
    )


def media_missing_alt(posts: Iterable[Post]) -> set[int]:
    """Ids of posts with a photo that has no description."""
    return {p.pk for p in posts for m in p.media.all() if not m.alt}


def posts_visible(*, viewer: Viewer) -> PostQuerySet:
    """Every post `viewer` may read, with what a post card shows loaded.

    The access helper for lists an interface narrows and pages itself (the
    client API's timelines): whatever is filtered on top, nothing outside
    the audience and block rules of PostQuerySet.visible_to can appear.
    """
    return _decorated(Post.objects.visible_to(viewer), viewer)


def posts_search(*, viewer: User, query: str) -> PostQuerySet:
    """Posts `viewer` may read whose text contains `query`, newest first.

    Search is a public place: someone else's unlisted post is left out of
    it (it stays readable by its link); one's own are found.
    """
    return (
        posts_visible(viewer=viewer)
        .filter(text__icontains=query)
        .exclude(Q(audience=Audience.UNLISTED) & ~Q(author=viewer))
        .order_by("-id")
    )


def tags_search(*, query: str, limit: int) -> list[str]:
    """Hashtags in use on live public posts that start with `query` (lower-cased).

    Tags used only inside a private community, or only on removed posts,
    are not found: naming them would reveal what its members write about.
    """
    from hearth.posts.models import PostTag

    query = query.strip().lstrip("#").lower()
    if not query:
        return []
    return list(
        PostTag.objects.filter(
            tag__startswith=query,
            post__deleted_at__isnull=True,
            post__removed_at__isnull=True,
            post__audience=Audience.PUBLIC,
        )
        .exclude(post__community__visibility="private")
        .values_list("tag", flat=True)
        .distinct()
        .order_by("tag")[:limit]
    )


def in_support_thread(post: Post) -> bool:
    """True if `post` or the first post of its thread asks for support (tone "support").

    Replies there are judged at the reconsider prompt's careful threshold.
    """
    if post.tone == Tone.SUPPORT:
        return True
    root_id = post.thread_root_id
    return (
        root_id is not None
        and root_id != post.pk
        and Post.objects.filter(pk=root_id, tone=Tone.SUPPORT).exists()
    )


def public_post_count() -> int:
    """Posts anyone may read signed out (instance statistics; no one person's count)."""
    return Post.objects.visible_to(None).count()
