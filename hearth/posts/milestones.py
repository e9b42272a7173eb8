"""Milestones: life events shared as posts, and the anniversary reminders close people ask for.

A milestone is a root post (written through post_create, so every rule of
posts holds) with a Milestone row beside it. People close to the author —
in their close circle, or following each other — who may read the post can
tick "remind me on its anniversary"; the periodic task
(hearth.posts.periodic) claims each year's reminder once and emits
MilestoneAnniversaryDue, and hearth.feeds turns that into a notification.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from hearth.accounts.models import CircleMember, Follow, User
from hearth.accounts.selectors import Viewer, as_user
from hearth.core.events import emit
from hearth.posts.events import MilestoneAnniversaryDue
from hearth.posts.models import (
    Audience,
    Milestone,
    MilestoneKind,
    MilestoneReminder,
    Post,
    Tone,
)
from hearth.posts.services import MediaUpload, PostError, post_create

MAX_LABEL = 80
EARLIEST_YEAR = 1900
# Reminders claimed per run; the rest wait for the next tick the same day.
CLAIM_BATCH = 500


def _check(kind: str, label: str, when: date, today: date) -> str:
    if kind not in MilestoneKind.values:
        raise PostError("Choose what kind of milestone this is.", "kind")
    label = label.strip()
    if kind == MilestoneKind.CUSTOM and not label:
        raise PostError("Say what the milestone is, in a few words.", "label")
    if len(label) > MAX_LABEL:
        raise PostError(f"The name can be up to {MAX_LABEL} characters.", "label")
    if when > today:
        raise PostError(
            "A milestone is something that has happened: pick today or earlier.", "date"
        )
    if when.year < EARLIEST_YEAR:
        raise PostError(f"Pick a date from {EARLIEST_YEAR} on.", "date")
    return label if kind == MilestoneKind.CUSTOM else ""


def milestone_create(
    *,
    author: User,
    kind: str,
    when: date,
    text: str = "",
    label: str = "",
    audience: str = Audience.PUBLIC,
    content_warning: str = "",
    media: Sequence[MediaUpload] = (),
    now: datetime | None = None,
) -> Milestone:
    """Share a life event: a root post (tone "celebrating") and its Milestone, atomically.

    `label` names a custom milestone and is ignored for the named kinds; an
    empty `text` becomes the milestone's name. Raises PostError (with the
    field at fault) for an unknown kind, a custom milestone without a name,
    a name over 80 characters, a date in the future or before 1900, or
    anything post_create refuses; nothing is saved then. Emits
    PostPublished (through post_create).
    """
    today = timezone.localdate(now or timezone.now())
    label = _check(kind, label, when, today)
    title = label or MilestoneKind(kind).label
    with transaction.atomic():
        post = post_create(
            author=author,
            text=text.strip() or title,
            audience=audience,
            content_warning=content_warning,
            tone=Tone.CELEBRATING,
            media=media,
        )
        return Milestone.objects.create(post=post, kind=kind, label=label, date=when)


def milestone_get_visible(*, viewer: Viewer, post_id: int) -> Milestone:
    """The milestone on post `post_id` if `viewer` may read the post; Http404 alike otherwise."""
    milestone = (
        Milestone.objects.select_related("post__author")
        .filter(post_id=post_id, post__in=Post.objects.visible_to(viewer))
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone")
    return milestone


def is_close(*, user: User, author_id: int) -> bool:
    """`user` is in the author's close circle, or they follow each other (both accepted)."""
    if CircleMember.objects.filter(owner_id=author_id, member=user).exists():
        return True
    accepted = Follow.objects.filter(state=Follow.State.ACCEPTED)
    return (
        accepted.filter(follower=user, followee_id=author_id).exists()
        and accepted.filter(follower_id=author_id, followee=user).exists()
    )


def milestone_reminder_allowed(*, viewer: Viewer, milestone: Milestone) -> bool:
    """True if `viewer` may ask to be reminded: not the author, close to them, and may read it."""
    user = as_user(viewer)
    if user is None or user.pk == milestone.post.author_id:
        return False
    if not Post.objects.visible_to(user).filter(pk=milestone.post_id).exists():
        return False
    return is_close(user=user, author_id=milestone.post.author_id)


def milestone_reminder_set(*, user: User, milestone: Milestone, on: bool) -> bool:
    """Turn `user`'s anniversary reminder on or off; returns whether it is on now.

    Idempotent. Raises PostError when turning it on is not allowed (see
    milestone_reminder_allowed); turning it off always works.
    """
    if not on:
        MilestoneReminder.objects.filter(milestone=milestone, user=user).delete()
        return False
    if not milestone_reminder_allowed(viewer=user, milestone=milestone):
        raise PostError("Only people close to them can be reminded of this milestone.")
    MilestoneReminder.objects.get_or_create(milestone=milestone, user=user)
    return True


def milestone_reminder_on(*, user: Viewer, milestone: Milestone) -> bool:
    viewer = as_user(user)
    return (
        viewer is not None
        and MilestoneReminder.objects.filter(milestone=milestone, user=viewer).exists()
    )


def _anniversary_days(today: date) -> Q:
    days = Q(milestone__date__month=today.month, milestone__date__day=today.day)
    # A milestone on 29 February is remembered on the 28th in other years.
    is_leap = today.year % 4 == 0 and (today.year % 100 != 0 or today.year % 400 == 0)
    if today.month == 2 and today.day == 28 and not is_leap:
        days |= Q(milestone__date__month=2, milestone__date__day=29)
    return days


def milestone_anniversaries_send(*, now: datetime | None = None) -> int:
    """Claim and announce the anniversary reminders due today (in the server's time zone).

    Each reminder is sent at most once per year, however many workers run
    this at once: a conditional UPDATE of `last_year` claims it. Nothing is
    sent in the milestone's own year, nor for a deleted post. Emits
    MilestoneAnniversaryDue per reminder claimed; returns how many.
    """
    today = timezone.localdate(now or timezone.now())
    due = (
        MilestoneReminder.objects.filter(_anniversary_days(today))
        .filter(
            milestone__date__year__lt=today.year,
            last_year__lt=today.year,
            milestone__post__deleted_at__isnull=True,
        )
        .values_list("pk", flat=True)[:CLAIM_BATCH]
    )
    sent = 0
    for reminder_id in list(due):
        with transaction.atomic():
            claimed = MilestoneReminder.objects.filter(
                pk=reminder_id, last_year__lt=today.year
            ).update(last_year=today.year)
            if claimed:
                emit(MilestoneAnniversaryDue(reminder_id=reminder_id, year=today.year))
                sent += 1
    return sent
