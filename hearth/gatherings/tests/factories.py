from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from hearth.communities import services as community_services
from hearth.communities.models import Community, Membership
from hearth.gatherings import services
from hearth.gatherings.models import Gathering


def local_in(tz: str, *, days: int = 3, hours: int = 0) -> datetime:
    """A naive wall-clock time `days` from now in `tz`, on the hour."""
    when = (timezone.now() + timedelta(days=days, hours=hours)).astimezone(ZoneInfo(tz))
    return when.replace(minute=0, second=0, microsecond=0, tzinfo=None)


def details(**overrides) -> services.Details:
    tz = overrides.pop("tz", "Europe/Berlin")
    starts = overrides.pop("starts_local", None) or local_in(tz)
    values = {
        "title": "Walk by the river",
        "description": "A slow walk, then tea.",
        "tz": tz,
        "starts_local": starts,
        "ends_local": overrides.pop("ends_local", starts + timedelta(hours=2)),
        "address": "Paul-Lincke-Ufer 1, Berlin",
        **overrides,
    }
    return services.Details(**values)


def gathering(host, *, community: Community | None = None, **overrides) -> Gathering:
    return services.gathering_create(host=host, details=details(**overrides), community=community)


def community(owner, *, visibility: str = "public", slug: str = "river-folk") -> Community:
    return community_services.community_create(
        creator=owner,
        name=slug.replace("-", " ").title(),
        slug=slug,
        description="People who like rivers.",
        who_for="Anyone near a river.",
        visibility=visibility,
        rules=["Be kind"],
    )


def join(place: Community, user, role: str = "member") -> Membership:
    now = timezone.now()
    return Membership.objects.create(
        community=place, user=user, role=role, rules_accepted_at=now, joined_at=now
    )
