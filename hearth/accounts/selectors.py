"""Reads about people and the ties between them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest

from hearth.accounts.models import Block, CircleMember, Follow, Invite, Mute, User

Viewer = User | AnonymousUser | None


def signed_in_user(request: HttpRequest) -> User:
    """The person making a request that @login_required has already let through."""
    user = request.user
    assert isinstance(user, User), "view must be wrapped in login_required"
    return user


def as_user(viewer: Viewer) -> User | None:
    """The signed-in person, or None for anyone logged out."""
    if viewer is None or not viewer.is_authenticated:
        return None
    assert isinstance(viewer, User)
    return viewer


@dataclass(frozen=True)
class Relationship:
    """How the viewer stands to one other person."""

    is_self: bool = False
    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    in_my_circle: bool = False
    request_pending_from_them: bool = False

    @property
    def can_see_profile(self) -> bool:
        return not self.blocked_by


def relationship_get(*, viewer: Viewer, other: User) -> Relationship:
    """Return the viewer's relationship to `other`; logged out is an empty one."""
    user = as_user(viewer)
    if user is None:
        return Relationship()
    if user.pk == other.pk:
        return Relationship(is_self=True)
    follows = {
        (f.follower_id, f.state)
        for f in Follow.objects.filter(
            Q(follower=user, followee=other) | Q(follower=other, followee=user)
        ).only("follower_id", "state")
    }
    blocks = set(
        Block.objects.filter(
            Q(blocker=user, blocked=other) | Q(blocker=other, blocked=user)
        ).values_list("blocker_id", flat=True)
    )
    return Relationship(
        following=(user.pk, Follow.State.ACCEPTED) in follows,
        requested=(user.pk, Follow.State.PENDING) in follows,
        followed_by=(other.pk, Follow.State.ACCEPTED) in follows,
        request_pending_from_them=(other.pk, Follow.State.PENDING) in follows,
        blocking=user.pk in blocks,
        blocked_by=other.pk in blocks,
        muting=Mute.objects.filter(muter=user, muted=other).exists(),
        in_my_circle=CircleMember.objects.filter(owner=user, member=other).exists(),
    )


def user_get_by_username(*, username: str) -> User:
    """The active person with this username (any case); raises Http404 otherwise."""
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Http404("No such person")
    return user


def users_by_usernames(usernames: list[str]) -> dict[str, User]:
    """Active people by lower-cased username, for resolving @mentions."""
    if not usernames:
        return {}
    found = User.objects.alias(lower_name=Lower("username")).filter(
        lower_name__in=usernames, is_active=True
    )
    return {u.username.lower(): u for u in found}


def followers_list(*, user: User) -> QuerySet[User]:
    return User.objects.filter(
        following_set__followee=user, following_set__state=Follow.State.ACCEPTED
    ).order_by("-following_set__created_at")


def following_list(*, user: User) -> QuerySet[User]:
    return User.objects.filter(
        follower_set__follower=user, follower_set__state=Follow.State.ACCEPTED
    ).order_by("-follower_set__created_at")


def follow_counts(*, user: User) -> tuple[int, int]:
    """(followers, following) counting accepted follows only."""
    followers = Follow.objects.filter(followee=user, state=Follow.State.ACCEPTED).count()
    following = Follow.objects.filter(follower=user, state=Follow.State.ACCEPTED).count()
    return followers, following


def follow_requests_pending(*, user: User) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(followee=user, state=Follow.State.PENDING)
        .select_related("follower")
        .order_by("-created_at")
    )


def circle_members(*, owner: User) -> QuerySet[User]:
    return User.objects.filter(in_circles_set__owner=owner).order_by("username")


def blocked_users(*, user: User) -> QuerySet[User]:
    return User.objects.filter(blocked_by_set__blocker=user).order_by("username")


def muted_users(*, user: User) -> QuerySet[User]:
    return User.objects.filter(muted_by_set__muter=user).order_by("username")


def user_get_visible(*, viewer: Viewer, user_id: int) -> User:
    """The active person with this id, unless they block the viewer.

    Raises Http404 alike for a missing, deactivated or blocking person, as
    the profile page does (Relationship.can_see_profile).
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    me = as_user(viewer)
    if user is None or (
        me is not None
        and me.pk != user.pk
        and Block.objects.filter(blocker=user, blocked=me).exists()
    ):
        raise Http404("No such person")
    return user


def users_search(*, viewer: Viewer, query: str, limit: int, following: bool = False) -> list[User]:
    """Active people whose username or display name starts with `query` (any case).

    Exact username matches come first. People who block the viewer are left
    out; with `following`, only people the viewer follows (accepted).
    """
    query = query.strip().lstrip("@").split("@")[0]
    if not query:
        return []
    found = User.objects.filter(
        Q(username__istartswith=query) | Q(display_name__istartswith=query), is_active=True
    )
    me = as_user(viewer)
    if me is not None:
        found = found.exclude(pk__in=Block.objects.filter(blocked=me).values("blocker"))
        if following:
            found = found.filter(
                follower_set__follower=me, follower_set__state=Follow.State.ACCEPTED
            )
    elif following:
        return []
    people = list(found.order_by("username")[: max(limit, 1) * 2])
    people.sort(key=lambda u: (u.username.lower() != query.lower(), u.username.lower()))
    return people[:limit]


def invites_of(*, user: User, limit: int = 20) -> list[Invite]:
    """`user`'s own invite links, newest first."""
    return list(Invite.objects.filter(inviter=user).order_by("-created_at")[:limit])
