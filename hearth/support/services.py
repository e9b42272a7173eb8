"""Support in hard times: asking, offering, routing, checking in, "worried about someone".

Every function that a task calls is idempotent. Events are emitted inside
the transaction and delivered after it commits (core.events).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hearth.accounts.models import Block, User
from hearth.communities.models import Membership
from hearth.core.events import emit
from hearth.posts.models import Audience, Post, Tone
from hearth.posts.services import PostError, post_create
from hearth.support import routing
from hearth.support.events import (
    CheckInDue,
    CheckInScheduled,
    SupporterAvailable,
    SupporterRouted,
    SupportRequested,
    SupportUnrouted,
    WorriedDelivered,
)
from hearth.support.models import (
    MAX_CAPACITY,
    REQUEST_TOPICS,
    ROUTE_TO,
    CareSettings,
    CrisisResource,
    Route,
    Supporter,
    SupportKind,
    SupportRequest,
    Topic,
    WorriedRequest,
    in_scope,
)

CHECKIN_DAYS = (1, 2, 3, 5, 7, 14)
WORRIED_EVERY = timedelta(days=7)
# A person may ask this many times a day; past it they are told to wait.
WORRIED_PER_DAY = 5
# Open requests older than this are no longer routed from the pool.
POOL_DAYS = 14

_POST_AUDIENCE = {
    "followers": Audience.FOLLOWERS,
    "circle": Audience.CIRCLE,
    "supporters": Audience.SUPPORTERS,
}


class SupportError(ValueError):
    """The request cannot be done as asked; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- asking ----------------------------------------------------------------------


def support_request_create(
    *,
    asker: User,
    text: str,
    kind: str,
    topic: str,
    audience: str,
    community_id: int | None = None,
    ask_supporters: bool = True,
    checkin_days: int | None = None,
    content_warning: str = "",
) -> SupportRequest:
    """Publish a request for support: a post with tone "support" and its SupportRequest.

    `audience` is followers, circle, community (with `community_id`, a
    community the asker may post in) or supporters ("only supporters": the
    post is hidden from everyone but the asker and the supporters it is
    routed to). `checkin_days` (one of CHECKIN_DAYS, or None) schedules a
    gentle "how are you doing?". Raises SupportError with the field at fault
    for an unknown kind, topic or audience, a missing community, a check-in
    out of range, or anything post_create refuses. Emits SupportRequested
    (routing and the check-in follow from it) besides the post's own events.
    """
    if kind not in SupportKind.values:
        raise SupportError("Choose what kind of support you'd like.", "kind")
    if topic not in {value for value, _ in REQUEST_TOPICS}:
        raise SupportError("Choose what it is about, or “Something else”.", "topic")
    if audience not in (*_POST_AUDIENCE, "community"):
        raise SupportError("Choose who can see your request.", "audience")
    if audience == "community" and community_id is None:
        raise SupportError("Choose the community to ask in.", "community")
    if audience != "community":
        community_id = None
    if checkin_days is not None and checkin_days not in CHECKIN_DAYS:
        raise SupportError("Choose when Hearth should check in, or not at all.", "checkin_days")
    if audience == "supporters":
        ask_supporters = True
    with transaction.atomic():
        try:
            post = post_create(
                author=asker,
                text=text,
                audience=_POST_AUDIENCE.get(audience, Audience.PUBLIC),
                tone=Tone.SUPPORT,
                content_warning=content_warning,
                community_id=community_id,
            )
        except PostError as exc:
            raise SupportError(str(exc), exc.field) from None
        request = SupportRequest.objects.create(
            post=post,
            asker=asker,
            kind=kind,
            topic=topic,
            audience=audience,
            community_id=community_id,
            ask_supporters=ask_supporters,
            checkin_at=(post.created_at + timedelta(days=checkin_days) if checkin_days else None),
        )
        emit(SupportRequested(request_id=request.pk))
    return request


def support_request_resolve(*, request: SupportRequest, actor: User, resolved: bool = True) -> None:
    """Mark one's own request resolved (or open again). PermissionError for anyone else.

    A resolved request is not routed any more and gets no check-in.
    Reopening emits SupportUnrouted so it may reach supporters again.
    """
    if actor.pk != request.asker_id:
        raise PermissionError("Only the person who asked can change this.")
    with transaction.atomic():
        if resolved:
            request.state, request.resolved_at = SupportRequest.State.RESOLVED, timezone.now()
        else:
            request.state, request.resolved_at = SupportRequest.State.OPEN, None
            emit(SupportUnrouted(request_id=request.pk))
        request.save(update_fields=["state", "resolved_at"])


# --- routing -----------------------------------------------------------------------


def support_request_route(*, request_id: int) -> list[Route]:
    """Hand an open request to supporters until ROUTE_TO of them hold it (see routing).

    Idempotent: a request that already has enough supporters, is resolved,
    deleted, not meant for supporters, or missing gets nobody new. Someone
    who held it once is never asked again. Returns the new routes and emits
    SupporterRouted for each. A request nobody can take now stays in the
    pool: support_pool_route tries again when a supporter becomes available.
    """
    now = timezone.now()
    with transaction.atomic():
        request = (
            SupportRequest.objects.select_for_update()
            .select_related("post")
            .filter(pk=request_id, state=SupportRequest.State.OPEN, ask_supporters=True)
            .first()
        )
        if request is None or request.post.is_deleted or request.post.is_removed:
            return []
        held = request.routes.filter(state=Route.State.ROUTED).count()
        routes = []
        for supporter in routing.pick(request=request, count=ROUTE_TO - held, now=now):
            route = Route.objects.create(
                request=request, supporter_id=supporter.user_id, community_id=request.community_id
            )
            routes.append(route)
            emit(SupporterRouted(route_id=route.pk))
    return routes


def support_pool_route(*, limit: int = 200) -> int:
    """Route again the open requests that hold fewer than ROUTE_TO supporters, oldest first.

    Requests older than POOL_DAYS stay as they are. Returns how many routes
    were made. Idempotent.
    """
    since = timezone.now() - timedelta(days=POOL_DAYS)
    waiting = (
        SupportRequest.objects.filter(
            state=SupportRequest.State.OPEN, ask_supporters=True, created_at__gte=since
        )
        .exclude(post__deleted_at__isnull=False)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    made = 0
    for request_id in waiting[:limit]:
        if Route.objects.filter(request_id=request_id, state=Route.State.ROUTED).count() < ROUTE_TO:
            made += len(support_request_route(request_id=request_id))
    return made


def _release(routes: Iterable[Route], reason: str) -> list[int]:
    """Release routes; returns the ids of open requests that should be routed again."""
    now = timezone.now()
    again = []
    for route in routes:
        route.state, route.released_at, route.release_reason = Route.State.RELEASED, now, reason
        route.save(update_fields=["state", "released_at", "release_reason"])
        if route.request.is_open:
            again.append(route.request_id)
    for request_id in again:
        emit(SupportUnrouted(request_id=request_id))
    return again


def route_pass(*, supporter: User, request_id: int) -> bool:
    """A supporter hands a request back ("not now"): it goes to someone else.

    Returns False if it was not with them. Emits SupportUnrouted.
    """
    with transaction.atomic():
        routes = list(
            Route.objects.select_for_update()
            .select_related("request")
            .filter(supporter=supporter, request_id=request_id, state=Route.State.ROUTED)
        )
        _release(routes, "passed")
    return bool(routes)


# --- supporters --------------------------------------------------------------------


def clean_topics(topics: Iterable[str]) -> str:
    """The topics as stored (",grief,anxiety,"); SupportError unless at least one is known."""
    known = [t for t in Topic.values if t in set(topics)]
    if not known:
        raise SupportError("Choose at least one topic, or “Anything at all”.", "topics")
    return "," + ",".join(known) + ","


def clean_capacity(capacity: object) -> int:
    """A weekly capacity from 1 to MAX_CAPACITY; SupportError otherwise, in plain words."""
    try:
        value = int(str(capacity).strip())
    except (TypeError, ValueError):
        raise SupportError(
            f"Give a whole number of requests a week, from 1 to {MAX_CAPACITY}.", "weekly_capacity"
        ) from None
    if value < 1:
        raise SupportError(
            "A capacity of 0 would mean nobody can ask you. To take a break, pause instead; "
            "to stop, leave.",
            "weekly_capacity",
        )
    if value > MAX_CAPACITY:
        raise SupportError(
            f"{MAX_CAPACITY} a week is the most Hearth asks of anyone: supporting people "
            "takes care, and you matter too.",
            "weekly_capacity",
        )
    return value


def supporter_set(
    *,
    user: User,
    community_id: int | None,
    topics: Iterable[str],
    weekly_capacity: object,
    paused: bool = False,
) -> Supporter:
    """Opt in as a supporter (for all of Hearth, or for one community), or change how.

    A community supporter must be an active member there. Pausing releases
    the requests held now (they go to others). Raises SupportError for no
    topic, a capacity outside 1..MAX_CAPACITY or a community one is not in.
    Emits SupporterAvailable when the person can take requests, and
    SupportUnrouted for each request released by a pause.
    """
    stored_topics = clean_topics(topics)
    capacity = clean_capacity(weekly_capacity)
    if (
        community_id is not None
        and not Membership.objects.filter(
            community_id=community_id, user=user, state=Membership.State.ACTIVE
        )
        .exclude(banned_until__gt=timezone.now())
        .exists()
    ):
        raise SupportError("You can support people in communities you are a member of.", "scope")
    with transaction.atomic():
        supporter = (
            Supporter.objects.select_for_update().filter(in_scope(community_id), user=user).first()
        ) or Supporter(user=user, community_id=community_id)
        supporter.topics, supporter.weekly_capacity = stored_topics, capacity
        supporter.paused = paused
        supporter.save()
        if paused:
            _release(_held(user, community_id), "paused")
        else:
            emit(SupporterAvailable(user_id=user.pk))
    return supporter


def _held(user: User, community_id: int | None) -> list[Route]:
    return list(
        Route.objects.select_for_update()
        .select_related("request")
        .filter(in_scope(community_id), supporter=user, state=Route.State.ROUTED)
    )


def supporter_leave(*, user: User, community_id: int | None) -> int:
    """Stop being a supporter in that scope. The requests held now go back to the pool.

    Returns how many requests were released; each is routed again
    (SupportUnrouted). Leaving twice is harmless.
    """
    with transaction.atomic():
        Supporter.objects.filter(in_scope(community_id), user=user).delete()
        return len(_release(_held(user, community_id), "left"))


def supporters_revalidate() -> int:
    """Release routes whose supporter is no longer one in that scope (left a community,
    was banned, stopped) so the request is routed again. Returns how many. Idempotent."""
    released = 0
    held = Route.objects.filter(
        state=Route.State.ROUTED, request__state=SupportRequest.State.OPEN
    ).select_related("request")
    for route in held:
        still = Supporter.objects.filter(
            in_scope(route.community_id), user_id=route.supporter_id, paused=False
        ).exists()
        if still and route.community_id is not None:
            still = (
                Membership.objects.filter(
                    community_id=route.community_id,
                    user_id=route.supporter_id,
                    state=Membership.State.ACTIVE,
                )
                .exclude(banned_until__gt=timezone.now())
                .exists()
            )
        if not still:
            with transaction.atomic():
                released += len(_release([route], "ineligible"))
    return released


# --- check-ins ---------------------------------------------------------------------


def checkin_set(*, request: SupportRequest, actor: User, days: int | None) -> SupportRequest:
    """Choose when Hearth checks in (days from now), or None for not at all.

    PermissionError for anyone but the asker; SupportError for a day count
    not offered. Emits CheckInScheduled when one is set.
    """
    if actor.pk != request.asker_id:
        raise PermissionError("Only the person who asked can change this.")
    if days is not None and days not in CHECKIN_DAYS:
        raise SupportError("Choose when Hearth should check in, or not at all.", "checkin_days")
    with transaction.atomic():
        request.checkin_at = timezone.now() + timedelta(days=days) if days else None
        request.checkin_sent_at = None
        request.save(update_fields=["checkin_at", "checkin_sent_at"])
        if days:
            emit(CheckInScheduled(request_id=request.pk))
    return request


def checkin_send(*, request_id: int) -> bool:
    """Ask the asker how they are doing, if the check-in is due and was not asked yet.

    Idempotent: True only the one time it is sent. A resolved, deleted or
    rescheduled request is left alone. Emits CheckInDue.
    """
    now = timezone.now()
    with transaction.atomic():
        request = (
            SupportRequest.objects.select_for_update()
            .filter(
                pk=request_id,
                state=SupportRequest.State.OPEN,
                checkin_at__lte=now,
                checkin_sent_at__isnull=True,
                post__deleted_at__isnull=True,
            )
            .first()
        )
        if request is None:
            return False
        request.checkin_sent_at = now
        request.save(update_fields=["checkin_sent_at"])
        emit(CheckInDue(request_id=request.pk))
    return True


def checkins_due_send(*, limit: int = 500) -> int:
    """Send every check-in that is due (the backstop for deferred tasks). Returns how many."""
    due = SupportRequest.objects.filter(
        state=SupportRequest.State.OPEN,
        checkin_at__lte=timezone.now(),
        checkin_sent_at__isnull=True,
    ).values_list("pk", flat=True)[:limit]
    return sum(checkin_send(request_id=pk) for pk in list(due))


def checkin_answer(*, request: SupportRequest, actor: User, text: str, share: bool) -> Post | None:
    """Answer "how are you doing?": kept private, or shared as an update under the request.

    The update is a reply by the asker, with the request's audience.
    Returns it when shared. PermissionError for anyone but the asker;
    SupportError for an empty or over-long answer.
    """
    if actor.pk != request.asker_id:
        raise PermissionError("Only the person who asked can answer.")
    text = text.strip()
    if not text:
        raise SupportError("Write a few words, even just “still here”.", "text")
    if len(text) > 2000:
        raise SupportError(f"Keep it to 2,000 characters; this has {len(text):,}.", "text")
    with transaction.atomic():
        update = None
        if share:
            try:
                update = post_create(
                    author=actor,
                    text=text,
                    audience=request.post.audience,
                    in_reply_to=request.post,
                )
            except PostError as exc:
                raise SupportError(str(exc), "text") from None
        request.checkin_answer = text
        request.checkin_answered_at = timezone.now()
        request.checkin_sent_at = request.checkin_sent_at or request.checkin_answered_at
        request.checkin_update = update
        request.save(
            update_fields=[
                "checkin_answer",
                "checkin_answered_at",
                "checkin_sent_at",
                "checkin_update",
            ]
        )
    return update


# --- worried about someone ---------------------------------------------------------


def care_settings_get(*, user: User) -> CareSettings:
    settings, _ = CareSettings.objects.get_or_create(user=user)
    return settings


def care_settings_set(*, user: User, worried_messages: bool) -> CareSettings:
    """Allow or turn off "worried about you" messages for oneself."""
    settings = care_settings_get(user=user)
    settings.worried_messages = worried_messages
    settings.save(update_fields=["worried_messages"])
    return settings


def worried_send(*, sender: User, post: Post) -> WorriedRequest:
    """Privately ask Hearth to show `post`'s author a caring message with the resources.

    The caller must have read `post` through an access helper for `sender`.
    The author receives at most one such message in any seven days,
    whoever sends it, and none if they turned them off or a block stands
    between the two; the request is recorded either way and the sender is
    never told which (the return value is for tests and staff, not for the
    sender's page). The author's CareSettings row is locked (SELECT ... FOR
    UPDATE) while deciding, so concurrent senders cannot both deliver.
    Raises SupportError for one's own post or more than WORRIED_PER_DAY
    requests in a day. Emits WorriedDelivered when delivered. Only a
    person calls this: no classifier ever does.
    """
    if post.author_id == sender.pk:
        raise SupportError("This is your own post. The resources below are here for you too.")
    now = timezone.now()
    if (
        WorriedRequest.objects.filter(
            sender=sender, created_at__gte=now - timedelta(days=1)
        ).count()
        >= WORRIED_PER_DAY
    ):
        raise SupportError(
            "You have asked Hearth to reach out several times today. Thank you for caring; "
            "please try again tomorrow, or reach out to them yourself."
        )
    author_id = post.author_id
    CareSettings.objects.get_or_create(user_id=author_id)
    with transaction.atomic():
        care = CareSettings.objects.select_for_update().get(pk=author_id)
        blocked = Block.objects.filter(
            Q(blocker_id=author_id, blocked=sender) | Q(blocker=sender, blocked_id=author_id)
        ).exists()
        deliver = (
            care.worried_messages
            and not blocked
            and (care.last_worried_at is None or care.last_worried_at <= now - WORRIED_EVERY)
        )
        request = WorriedRequest.objects.create(
            sender=sender, author_id=author_id, post=post, delivered=deliver
        )
        if deliver:
            care.last_worried_at = now
            care.save(update_fields=["last_worried_at"])
            emit(WorriedDelivered(worried_id=request.pk))
    return request


def worried_report_misuse(*, author: User, worried_id: int) -> bool:
    """The recipient reports a caring message as misuse; staff see the sender.

    Returns False when no delivered message with that id was for `author`.
    Reporting twice is harmless.
    """
    return (
        bool(
            WorriedRequest.objects.filter(
                pk=worried_id, author=author, delivered=True, misuse_reported_at__isnull=True
            ).update(misuse_reported_at=timezone.now())
        )
        or WorriedRequest.objects.filter(pk=worried_id, author=author, delivered=True).exists()
    )


# --- crisis resources ----------------------------------------------------------------


def crisis_resource_save(*, resource: CrisisResource) -> CrisisResource:
    """Save a helpline edited by staff (the caller checks they are staff)."""
    resource.save()
    return resource


def crisis_resource_delete(*, resource: CrisisResource) -> None:
    """Remove a helpline (the caller checks the actor is staff)."""
    resource.delete()
