"""Changes to people and the ties between them.

Every function here is atomic and emits its events after commit.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from hearth.accounts.events import (
    BlockCreated,
    CircleMemberRemoved,
    FollowEnded,
    FollowRequested,
    FollowStarted,
)
from hearth.accounts.models import (
    RESERVED_USERNAMES,
    Block,
    CircleMember,
    Follow,
    Invite,
    Mute,
    User,
)
from hearth.core.events import emit
from hearth.core.images import process_image


class RelationshipError(Exception):
    """The action is not possible between these two people (self, or a block)."""


def username_check(username: str) -> None:
    """Raise ValidationError if `username` is reserved or taken in any case."""
    if username.lower() in RESERVED_USERNAMES:
        raise ValidationError("That username is reserved. Please choose another.")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("Someone already has that username.")


def email_check(email: str, *, exclude: User | None = None) -> None:
    """Raise ValidationError if another account uses `email` in any case."""
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError("An account with this email address already exists.")


def user_create(
    *, username: str, email: str, password: str, display_name: str = "", is_staff: bool = False
) -> User:
    """Create an active account.

    Raises ValidationError for a reserved or taken username, a taken email or
    a password Django's validators refuse.
    """
    username_check(username)
    email_check(email)
    user = User(
        username=username,
        email=email.strip(),
        display_name=display_name,
        is_staff=is_staff,
        is_superuser=is_staff,
    )
    validate_password(password, user)
    # Hashing is deliberately slow; do it before taking the write lock.
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        # The checks above ran without a lock; the unique constraints decide
        # a race, and the loser gets the same message as the checks give.
        try:
            user.save()
        except IntegrityError:
            raise ValidationError("Someone already has that username or email address.") from None
    return user


AVATAR_SIZE = 400


@transaction.atomic
def profile_update(
    *, user: User, fields: dict[str, object], avatar: UploadedFile[bytes] | None
) -> User:
    """Save profile fields and, if given, a new avatar re-encoded without metadata.

    Raises ImageRejected when the avatar is not a usable image; nothing is
    saved then.
    """
    for name, value in fields.items():
        setattr(user, name, value)
    if avatar is not None:
        processed = process_image(avatar, max_side=AVATAR_SIZE, square=True)
        user.avatar.save(processed.name, processed.content, save=False)
    user.save()
    return user


def _check_pair(actor: User, other: User) -> None:
    if actor.pk == other.pk:
        raise RelationshipError("You can't do that to yourself.")
    if Block.objects.filter(
        Q(blocker=actor, blocked=other) | Q(blocker=other, blocked=actor)
    ).exists():
        raise RelationshipError("That isn't possible with this person.")


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow:
    """Follow `followee`, or ask to if their account is locked.

    Idempotent: an existing follow or request is returned unchanged.
    Raises RelationshipError for oneself or across a block.
    Emits FollowStarted, or FollowRequested for a locked account.
    """
    _check_pair(follower, followee)
    follow, created = Follow.objects.get_or_create(
        follower=follower,
        followee=followee,
        defaults={"state": Follow.State.PENDING if followee.locked else Follow.State.ACCEPTED},
    )
    if created:
        if follow.state == Follow.State.PENDING:
            emit(FollowRequested(follow_id=follow.pk))
        else:
            emit(FollowStarted(follow_id=follow.pk))
    return follow


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> None:
    """Stop following, or withdraw a request. Emits FollowEnded if there was a follow."""
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        emit(FollowEnded(follower_id=follower.pk, followee_id=followee.pk))


@transaction.atomic
def follow_request_accept(*, followee: User, follower_id: int) -> Follow:
    """Approve a pending request to `followee`. Raises Follow.DoesNotExist if none.

    Emits FollowStarted(requested=True).
    """
    follow = Follow.objects.select_for_update().get(
        followee=followee, follower_id=follower_id, state=Follow.State.PENDING
    )
    follow.state = Follow.State.ACCEPTED
    follow.save(update_fields=["state"])
    emit(FollowStarted(follow_id=follow.pk, requested=True))
    return follow


@transaction.atomic
def follow_request_reject(*, followee: User, follower_id: int) -> None:
    """Decline a pending request; the requester is not told. Raises Follow.DoesNotExist."""
    deleted, _ = Follow.objects.filter(
        followee=followee, follower_id=follower_id, state=Follow.State.PENDING
    ).delete()
    if not deleted:
        raise Follow.DoesNotExist


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Block `blocked`: removes follows both ways and close-circle membership.

    Idempotent. Raises RelationshipError for oneself. Emits FollowEnded for
    each follow removed and BlockCreated.
    """
    if blocker.pk == blocked.pk:
        raise RelationshipError("You can't block yourself.")
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        for follow in Follow.objects.filter(
            Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
        ):
            follow.delete()
            emit(FollowEnded(follower_id=follow.follower_id, followee_id=follow.followee_id))
        CircleMember.objects.filter(
            Q(owner=blocker, member=blocked) | Q(owner=blocked, member=blocker)
        ).delete()
        emit(BlockCreated(blocker_id=blocker.pk, blocked_id=blocked.pk))
    return block


def block_delete(*, blocker: User, blocked: User) -> None:
    """Unblock. Follows removed by the block are not restored."""
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


def mute_create(*, muter: User, muted: User) -> Mute:
    """Hide `muted`'s posts from the muter's feed. Idempotent; raises RelationshipError for self."""
    if muter.pk == muted.pk:
        raise RelationshipError("You can't mute yourself.")
    mute, _ = Mute.objects.get_or_create(muter=muter, muted=muted)
    return mute


def mute_delete(*, muter: User, muted: User) -> None:
    Mute.objects.filter(muter=muter, muted=muted).delete()


@transaction.atomic
def circle_add(*, owner: User, member: User) -> CircleMember:
    """Add `member` to the owner's close circle. Idempotent.

    Raises RelationshipError for oneself or across a block.
    """
    _check_pair(owner, member)
    entry, _ = CircleMember.objects.get_or_create(owner=owner, member=member)
    return entry


@transaction.atomic
def circle_remove(*, owner: User, member: User) -> None:
    """Take `member` out of the close circle. Emits CircleMemberRemoved."""
    deleted, _ = CircleMember.objects.filter(owner=owner, member=member).delete()
    if deleted:
        emit(CircleMemberRemoved(owner_id=owner.pk, member_id=member.pk))


INVITE_DAYS = 14
INVITE_USES = 5


def invite_create(
    *,
    inviter: User,
    max_uses: int = INVITE_USES,
    days: int = INVITE_DAYS,
    now: datetime | None = None,
) -> Invite:
    """A new invite link for `inviter`, good for `max_uses` sign-ups over `days` days."""
    now = now or timezone.now()
    return Invite.objects.create(
        token=secrets.token_urlsafe(18),
        inviter=inviter,
        max_uses=max(1, max_uses),
        expires_at=now + timedelta(days=days),
    )


def invite_problem(invite: Invite | None, *, now: datetime | None = None) -> str:
    """Why `invite` can't be used now, in words for the person signing up; "" if it can."""
    now = now or timezone.now()
    if invite is None or not invite.inviter.is_active:
        return "That invite link isn't valid."
    if invite.expires_at <= now:
        return "That invite link has expired."
    if invite.uses >= invite.max_uses:
        return "That invite link has already been used as many times as it allows."
    return ""


def invite_get(*, token: str) -> Invite | None:
    """The invite with `token` (and its inviter), or None."""
    if not token or len(token) > 40:
        return None
    return Invite.objects.select_related("inviter").filter(token=token).first()


def user_create_invited(
    *, username: str, email: str, password: str, token: str, now: datetime | None = None
) -> tuple[User, str]:
    """Create an account and, with a usable invite, make it and the inviter follow each other.

    One transaction: the account, the invite's use and both follows land
    together. An unknown, expired or used-up invite does not stop the
    sign-up: the account is created without follows and the second value
    says why (it is "" when the invite worked). The inviter asked for it, so
    a locked inviter's follow is accepted at once. Raises ValidationError as
    user_create does. Emits FollowStarted twice for a used invite.
    """
    with transaction.atomic():
        user = user_create(username=username, email=email, password=password)
        invite = (
            Invite.objects.select_for_update().filter(token=token).first()
            if token and len(token) <= 40
            else None
        )
        problem = invite_problem(invite, now=now)
        if invite is None or problem:
            return user, problem
        Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
        inviter = invite.inviter
        follow_create(follower=inviter, followee=user)
        back = follow_create(follower=user, followee=inviter)
        if back.state == Follow.State.PENDING:
            follow_request_accept(followee=inviter, follower_id=user.pk)
    return user, ""
