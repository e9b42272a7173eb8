"""iCalendar (RFC 5545) output, made with the `icalendar` library.

Events carry the host's zone (DTSTART;TZID=Europe/Berlin plus a VTIMEZONE),
so a calendar shows them at the right moment on both sides of a daylight
saving change, and in the host's zone if asked. The UID is stable and the
SEQUENCE rises with every change, so a subscribed calendar updates the event
in place; a cancelled gathering stays in feeds with STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event

from hearth.gatherings.selectors import Access

PRODID = "-//Hearth//Gatherings//EN"


def _event(access: Access, *, site: str, base_url: str) -> Event:
    g = access.gathering
    event = Event()
    event.add("uid", f"gathering-{g.pk}@{site}")
    event.add("dtstamp", g.updated_at)
    event.add("created", g.created_at)
    event.add("last-modified", g.updated_at)
    event.add("sequence", g.sequence)
    event.add("dtstart", g.starts_at.astimezone(g.zone))
    event.add("dtend", g.ends_at.astimezone(g.zone))
    event.add("summary", g.title)
    url = base_url + g.get_absolute_url()
    event.add("url", url)
    description = g.description
    where: list[str] = []
    if g.address and access.sees_address:
        where.append(g.address)
    elif g.area:
        where.append(g.area)
    if g.meeting_url and access.sees_meeting_url:
        where.append(g.meeting_url)
    elif g.online:
        where.append("Online")
    if where:
        event.add("location", ", ".join(where))
    description = (description + "\n\n" if description else "") + url
    event.add("description", description)
    event.add("status", "CANCELLED" if g.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if g.is_cancelled else "OPAQUE")
    return event


def calendar_ics(accesses: Iterable[Access], *, name: str, site: str, base_url: str) -> bytes:
    """A VCALENDAR holding one VEVENT per gathering (with the VTIMEZONEs they use)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for access in accesses:
        cal.add_component(_event(access, site=site, base_url=base_url))
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
