from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template

from hearth.communities.models import Community
from hearth.gatherings.models import Gathering
from hearth.gatherings.selectors import community_upcoming, viewer_time_zone

register = template.Library()


def _place(tz: str) -> str:
    """ "Europe/Berlin" -> "Berlin", "America/New_York" -> "New York"; "UTC" stays."""
    return tz.rsplit("/", 1)[-1].replace("_", " ")


def _abbreviation(moment: datetime, tz: str) -> str:
    """ "CET", unless the zone only has a number ("+03") or its own name ("UTC")."""
    name = moment.tzname() or ""
    if not name or name == tz or name.startswith(("+", "-")):
        return ""
    return name


def _span(start: datetime, end: datetime, *, year: bool) -> str:
    day = "%a %-d %b %Y" if year else "%a %-d %b"
    if start.date() == end.date():
        return f"{start.strftime(day)}, {start:%H:%M}\u2013{end:%H:%M}"
    return f"{start.strftime(day)}, {start:%H:%M} \u2013 {end.strftime(day)}, {end:%H:%M}"


def describe_when(gathering: Gathering, viewer_tz: str | None = None) -> str:
    """When a gathering is, in words: always in the host's zone, and in the viewer's
    too when they set a different one (the output's dashes are en dashes).

    "Sat 28 Mar 2026, 18:30-20:00 CET (Europe/Berlin)" for the host's zone only;
    "Sat 28 Mar 2026, 19:00-21:00 Berlin time (CET) · 18:00-20:00 your time (London, GMT)"
    with a viewer's zone, which repeats the day only if it differs there. Each
    zone's abbreviation is that of the start, so a gathering on the night the
    clocks change shows which side of the change it starts on.
    """
    zone = gathering.zone
    start = gathering.starts_at.astimezone(zone)
    end = gathering.ends_at.astimezone(zone)
    host_abbr = _abbreviation(start, gathering.tz)
    mine = viewer_tz if viewer_tz and viewer_tz != gathering.tz else None
    if mine is not None:
        local_zone = ZoneInfo(mine)
        local_start = gathering.starts_at.astimezone(local_zone)
        local_end = gathering.ends_at.astimezone(local_zone)
        if (
            local_start.utcoffset() == start.utcoffset()
            and local_end.utcoffset() == end.utcoffset()
        ):
            mine = None  # the same clock time (Berlin and Paris): saying it twice is noise
    if mine is None:
        text = _span(start, end, year=True)
        zone_name = gathering.tz.replace("_", " ")
        return f"{text} {host_abbr} ({zone_name})" if host_abbr else f"{text} ({zone_name})"
    host_text = _span(start, end, year=True) + f" {_place(gathering.tz)} time"
    if host_abbr:
        host_text += f" ({host_abbr})"
    if local_start.date() == start.date() and local_end.date() == end.date():
        if local_start.date() == local_end.date():
            local_text = f"{local_start:%H:%M}\u2013{local_end:%H:%M}"
        else:
            local_text = f"{local_start:%H:%M} \u2013 {local_end:%a %-d %b, %H:%M}"
    else:
        local_text = _span(local_start, local_end, year=False)
    local_abbr = _abbreviation(local_start, mine)
    named = _place(mine) + (f", {local_abbr}" if local_abbr else "")
    return f"{host_text} \u00b7 {local_text} your time ({named})"


@register.filter
def when(gathering: Gathering, viewer_tz: str | None = None) -> str:
    """`g|when` in the host's zone; `g|when:zone` adds the time in `zone` if it differs."""
    return describe_when(gathering, viewer_tz)


@register.simple_tag(takes_context=True)
def viewer_zone(context: template.Context) -> str:
    """The viewer's chosen time zone, or "" (logged out, or never chose one), for
    `{% viewer_zone as my_tz %}` and then `g|when:my_tz` (see _when.html)."""
    return _viewer_tz(context) or ""


def _viewer_tz(context: template.Context) -> str | None:
    """Read once per request (a page lists up to a hundred gatherings)."""
    request: Any = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_gatherings_viewer_tz"):
        request._gatherings_viewer_tz = viewer_time_zone(request)
    tz: str | None = request._gatherings_viewer_tz
    return tz


@register.simple_tag(takes_context=True)
def community_gatherings(
    context: template.Context, community: Community, limit: int = 5
) -> list[Gathering]:
    """The community's next gatherings the viewer may see (none if they may not read it)."""
    request: Any = context.get("request")
    viewer = getattr(request, "user", None)
    return community_upcoming(viewer=viewer, community=community, limit=limit)
