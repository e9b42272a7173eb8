"""Who a request for support goes to.

A request is handed to up to ROUTE_TO supporters in its scope (its
community's supporters for a community request, Hearth-wide ones otherwise)
whose topics match, who are not paused, not in their quiet hours (wellbeing
settings; a daily or weekly summary does not count), have room left in
their weekly capacity, and stand in no block or mute with the asker. The
least loaded go first, then whoever was asked least recently.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from hearth.accounts.models import Block, Mute
from hearth.communities.models import Membership
from hearth.support.models import Route, Supporter, SupportRequest, Topic, in_scope
from hearth.wellbeing.selectors import quiet_user_ids

WEEK = timedelta(days=7)


def load_since(now: datetime) -> datetime:
    return now - WEEK


def candidates(*, request: SupportRequest, now: datetime) -> QuerySet[Supporter]:
    """Supporters who may be asked about `request` now, least loaded first (quiet hours aside).

    Each row carries `load`: requests routed to them in this scope in the
    last seven days.
    """
    asker_id = request.asker_id
    scope = route_scope = in_scope(request.community_id)
    recent = (
        Route.objects.filter(
            route_scope,
            supporter_id=OuterRef("user_id"),
            state=Route.State.ROUTED,
            created_at__gte=load_since(now),
        )
        .order_by()
        .values("supporter_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    last = (
        Route.objects.filter(route_scope, supporter_id=OuterRef("user_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    unwelcome: tuple[QuerySet[Any, Any], ...] = (
        Block.objects.filter(blocker_id=asker_id).values("blocked_id"),
        Block.objects.filter(blocked_id=asker_id).values("blocker_id"),
        Mute.objects.filter(muter_id=asker_id).values("muted_id"),
        Mute.objects.filter(muted_id=asker_id).values("muter_id"),
        Route.objects.filter(request=request).values("supporter_id"),
    )
    queryset = Supporter.objects.filter(
        scope,
        Q(topics__contains=f",{request.topic},") | Q(topics__contains=f",{Topic.ANYTHING},"),
        paused=False,
        user__is_active=True,
    ).exclude(user_id=asker_id)
    for ids in unwelcome:
        queryset = queryset.exclude(user_id__in=ids)
    if request.community_id is not None:
        members = Membership.objects.filter(
            community_id=request.community_id, state=Membership.State.ACTIVE
        ).exclude(banned_until__gt=now)
        queryset = queryset.filter(user_id__in=members.values("user_id"))
    return (
        queryset.annotate(
            load=Coalesce(Subquery(recent, output_field=IntegerField()), Value(0)),
            last_routed=Subquery(last),
        )
        .filter(load__lt=F("weekly_capacity"))
        .order_by("load", F("last_routed").asc(nulls_first=True), "pk")
    )


def current_load(*, user_id: int, community_id: int | None, now: datetime) -> int:
    """Requests routed to the supporter in that scope in the last seven days."""
    return Route.objects.filter(
        in_scope(community_id),
        supporter_id=user_id,
        state=Route.State.ROUTED,
        created_at__gte=load_since(now),
    ).count()


def pick(*, request: SupportRequest, count: int, now: datetime) -> list[Supporter]:
    """Up to `count` supporters to ask about `request` (see `candidates`), quiet hours applied.

    Must run inside a transaction. The chosen supporters' rows are locked in
    id order and their load counted again after the lock (a fresh statement
    sees what a concurrent routing committed), so two requests routed at
    once cannot both take someone's last place.
    """
    chosen: list[Supporter] = []
    skipped: set[int] = set()
    while len(chosen) < count:
        wanted = count - len(chosen)
        batch = [
            s
            for s in candidates(request=request, now=now).exclude(pk__in=skipped)[: wanted * 3]
            if s.pk not in {c.pk for c in chosen}
        ]
        if not batch:
            break
        for supporter in batch:
            skipped.add(supporter.pk)
        quiet = quiet_user_ids(user_ids=[s.user_id for s in batch], at=now)
        fresh = [s for s in batch if s.user_id not in quiet][:wanted]
        locked = Supporter.objects.select_for_update().filter(pk__in=[s.pk for s in fresh])
        for supporter in locked.order_by("pk"):
            load = current_load(
                user_id=supporter.user_id, community_id=supporter.community_id, now=now
            )
            if not supporter.paused and load < supporter.weekly_capacity:
                chosen.append(supporter)
    return chosen[:count]
