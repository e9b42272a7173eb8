"""Lists: people someone follows, read as a timeline of their own (Mastodon's lists).

A list is private to its owner, and its members are people the owner
follows (an accepted follow). Membership is checked again whenever a list is
read: someone the owner stopped following, or who blocked them, is left out
of its members and its timeline at once, with no write needed; following
them again brings them back.

The timeline is read at request time, not fanned out: posts by the
current members, read through PostQuerySet.visible_to (so only what the
owner may see), without people the owner mutes, with the owner's keyword
filters for the home feed, and with replies as the list's `replies_policy`
says (to anyone the owner follows, to members of the list, or none). One
query for the members, one for the page, whatever the list holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from hearth.accounts.models import Follow, Mute, User
from hearth.feeds.models import ReadingList, ReadingListMember
from hearth.feeds.selectors import Window
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.models import Post
from hearth.posts.selectors import posts_visible

Policy = ReadingList.RepliesPolicy


class ListError(ValueError):
    """A list cannot be saved or changed as asked; the message is for the person."""


# --- reads -------------------------------------------------------------------------


def list_get_own(*, owner: User, list_id: int) -> ReadingList:
    """`owner`'s list `list_id`; Http404 for anyone else's, the same as for a missing one."""
    found = (
        ReadingList.objects.filter(pk=list_id, owner=owner).first() if 0 < list_id < 2**63 else None
    )
    if found is None:
        raise Http404("No such list")
    return found


def lists_of(*, owner: User) -> QuerySet[ReadingList]:
    """All of `owner`'s lists, oldest first."""
    return ReadingList.objects.filter(owner=owner).order_by("id")


def lists_with_member(*, owner: User, member: User) -> QuerySet[ReadingList]:
    """`owner`'s lists that `member` is in (and still followed by `owner`), oldest first."""
    if not _follows(owner).filter(followee=member).exists():
        return ReadingList.objects.none()
    return lists_of(owner=owner).filter(members__member=member)


def _follows(owner: User) -> QuerySet[Follow]:
    return Follow.objects.filter(follower=owner, state=Follow.State.ACCEPTED)


def list_memberships(*, reading_list: ReadingList) -> QuerySet[ReadingListMember]:
    """The list's current members (people its owner still follows), each with `member` loaded.

    Not ordered: page it by `id`, the order in which they were added.
    """
    return ReadingListMember.objects.filter(
        reading_list=reading_list,
        member__in=_follows(reading_list.owner).values("followee"),
        member__is_active=True,
    ).select_related("member")


def _member_ids(reading_list: ReadingList) -> list[int]:
    muted = Mute.objects.filter(muter=reading_list.owner).values("muted")
    return list(
        list_memberships(reading_list=reading_list)
        .exclude(member__in=muted)
        .values_list("member_id", flat=True)
    )


@dataclass(frozen=True)
class ListPage:
    posts: list[Post]
    # The newest and oldest post ids read, shown or not (a filter may hide
    # some), so the next and previous pages neither skip nor repeat.
    newest_id: int | None
    oldest_id: int | None


def list_posts(*, reading_list: ReadingList) -> QuerySet[Post]:
    """Every post the list's timeline may show its owner, unordered (see the module docstring)."""
    owner = reading_list.owner
    members = _member_ids(reading_list)
    if not members:
        return Post.objects.none()
    queryset = posts_visible(viewer=owner).filter(author_id__in=members)
    policy = reading_list.replies_policy
    if policy == Policy.NONE:
        return queryset.filter(in_reply_to__isnull=True)
    if policy == Policy.LIST:
        to = Q(in_reply_to__author_id__in=[*members, owner.pk])
    else:
        followed = _follows(owner).values("followee")
        to = Q(in_reply_to__author_id__in=followed) | Q(in_reply_to__author_id=owner.pk)
    return queryset.filter(Q(in_reply_to__isnull=True) | to)


def list_timeline(*, reading_list: ReadingList, window: Window) -> ListPage:
    """A window of the list's timeline for its owner, newest first.

    The caller must have read `reading_list` through list_get_own. The
    owner's keyword filters for the home feed drop matching posts or set
    `filtered_as` on them, as on the home feed.
    """
    queryset = list_posts(reading_list=reading_list)
    if window.max_id is not None:
        queryset = queryset.filter(pk__lt=window.max_id)
    if window.since_id is not None:
        queryset = queryset.filter(pk__gt=window.since_id)
    if window.min_id is not None:
        rows = list(queryset.filter(pk__gt=window.min_id).order_by("id")[: window.limit])
        rows.reverse()
    else:
        rows = list(queryset.order_by("-id")[: window.limit])
    screen = keyword_filters_active(viewer=reading_list.owner, context=KeywordFilter.Context.HOME)
    return ListPage(screen.apply(rows), rows[0].pk if rows else None, rows[-1].pk if rows else None)


# --- writes ------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ListError("Give the list a title.")
    if len(title) > ReadingList.MAX_TITLE_LENGTH:
        raise ListError(f"A list's title can be up to {ReadingList.MAX_TITLE_LENGTH} characters.")
    return title


def _check_policy(policy: str) -> str:
    if policy not in Policy.values:
        raise ListError("Replies policy must be one of: " + ", ".join(Policy.values) + ".")
    return policy


def list_create(
    *, owner: User, title: str, replies_policy: str = Policy.LIST, exclusive: bool = False
) -> ReadingList:
    """Make a list for `owner`.

    Raises ListError for an empty or too long title, an unknown replies
    policy, or once `owner` has ReadingList.MAX_PER_PERSON lists. Emits no
    event.
    """
    title = _clean_title(title)
    _check_policy(replies_policy)
    with transaction.atomic():
        # Lock the owner's row so that two creations at once cannot both
        # pass the limit on PostgreSQL; SQLite lets one writer in at a time.
        User.objects.select_for_update().filter(pk=owner.pk).exists()
        if ReadingList.objects.filter(owner=owner).count() >= ReadingList.MAX_PER_PERSON:
            raise ListError(f"You can have up to {ReadingList.MAX_PER_PERSON} lists.")
        return ReadingList.objects.create(
            owner=owner, title=title, replies_policy=replies_policy, exclusive=exclusive
        )


def list_update(
    *,
    reading_list: ReadingList,
    owner: User,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> ReadingList:
    """Change what is given of a list's title, replies policy and exclusivity.

    Raises PermissionError if `owner` does not own it, ListError as
    list_create does. Emits no event.
    """
    if reading_list.owner_id != owner.pk:
        raise PermissionError("Only the owner can change a list.")
    if title is not None:
        reading_list.title = _clean_title(title)
    if replies_policy is not None:
        reading_list.replies_policy = _check_policy(replies_policy)
    if exclusive is not None:
        reading_list.exclusive = exclusive
    reading_list.save(update_fields=["title", "replies_policy", "exclusive"])
    return reading_list


def list_delete(*, reading_list: ReadingList, owner: User) -> None:
    """Delete a list and its memberships. Raises PermissionError if `owner` does not own it."""
    if reading_list.owner_id != owner.pk:
        raise PermissionError("Only the owner can delete a list.")
    reading_list.delete()


def list_members_add(*, reading_list: ReadingList, owner: User, members: Sequence[User]) -> int:
    """Add people `owner` follows to the list; all of them or none. Returns how many were new.

    Adding someone already in the list changes nothing. Raises
    PermissionError if `owner` does not own the list, ListError if one of
    `members` is not someone `owner` follows (an accepted follow) or the
    list would pass ReadingList.MAX_MEMBERS. Emits no event.
    """
    if reading_list.owner_id != owner.pk:
        raise PermissionError("Only the owner can change a list.")
    wanted = {m.pk: m for m in members}
    followed = set(
        _follows(owner).filter(followee_id__in=list(wanted)).values_list("followee_id", flat=True)
    )
    if set(wanted) - followed:
        raise ListError("You can only add people you follow to a list.")
    with transaction.atomic():
        # Lock the list so that two additions at once cannot both pass the limit.
        ReadingList.objects.select_for_update().filter(pk=reading_list.pk).exists()
        present = set(
            ReadingListMember.objects.filter(
                reading_list=reading_list, member_id__in=list(wanted)
            ).values_list("member_id", flat=True)
        )
        new = [m for pk, m in wanted.items() if pk not in present]
        count = ReadingListMember.objects.filter(reading_list=reading_list).count()
        if count + len(new) > ReadingList.MAX_MEMBERS:
            raise ListError(f"A list can hold up to {ReadingList.MAX_MEMBERS} people.")
        ReadingListMember.objects.bulk_create(
            [ReadingListMember(reading_list=reading_list, member=m) for m in new],
            ignore_conflicts=True,
        )
    return len(new)


def list_members_remove(
    *, reading_list: ReadingList, owner: User, member_ids: Sequence[int]
) -> int:
    """Take people out of the list. Returns how many were in it.

    Raises PermissionError if `owner` does not own the list. Emits no event.
    """
    if reading_list.owner_id != owner.pk:
        raise PermissionError("Only the owner can change a list.")
    deleted, _ = ReadingListMember.objects.filter(
        reading_list=reading_list, member_id__in=list(member_ids)
    ).delete()
    return deleted
