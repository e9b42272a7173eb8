from __future__ import annotations

from typing import Any

from django import template

from hearth.communities.models import Community
from hearth.gatherings.models import Gathering
from hearth.gatherings.selectors import community_upcoming

register = template.Library()


@register.filter
def when(gathering: Gathering) -> str:
    """ "Sat 28 Mar 2026, 18:30-20:00 CET (Europe/Berlin)", in the gathering's own zone.

    The zone's abbreviation is that of the start, so a gathering on the
    night the clocks change shows which side of the change it starts on.
    """
    zone = gathering.zone
    start = gathering.starts_at.astimezone(zone)
    end = gathering.ends_at.astimezone(zone)
    if start.date() == end.date():
        text = f"{start:%a %-d %b %Y}, {start:%H:%M}\u2013{end:%H:%M}"
    else:
        text = f"{start:%a %-d %b %Y, %H:%M} \u2013 {end:%a %-d %b %Y, %H:%M}"
    abbreviation = start.tzname() or ""
    zone_name = gathering.tz.replace("_", " ")
    if abbreviation and abbreviation != gathering.tz and not abbreviation.startswith(("+", "-")):
        return f"{text} {abbreviation} ({zone_name})"
    return f"{text} ({zone_name})"


@register.simple_tag(takes_context=True)
def community_gatherings(
    context: template.Context, community: Community, limit: int = 5
) -> list[Gathering]:
    """The community's next gatherings the viewer may see (none if they may not read it)."""
    request: Any = context.get("request")
    viewer = getattr(request, "user", None)
    return community_upcoming(viewer=viewer, community=community, limit=limit)
