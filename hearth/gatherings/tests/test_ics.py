"""The .ics output, read back by a small RFC 5545 parser written here.

Parsing with `icalendar` would only prove the library agrees with itself;
this parser follows the RFC (3.1 line folding, 3.1.1 parameters, 3.3.11
text escapes, 3.3.5 DATE-TIME forms) and resolves TZID through zoneinfo.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hearth.accounts.tests.factories import UserFactory
from hearth.gatherings import services
from hearth.gatherings.models import CalendarFeed
from hearth.gatherings.tests.factories import community, details, gathering, join

pytestmark = pytest.mark.django_db


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "lines end with CRLF"
    for raw in text.split("\r\n"):
        assert len(raw.encode()) <= 75, f"line longer than 75 octets: {raw!r}"
    return [line for line in re.sub(r"\r\n[ \t]", "", text).split("\r\n") if line]


def split_line(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=VALUE;...:value (a colon inside a quoted parameter does not end the name)."""
    in_quotes, colon = False, -1
    for index, ch in enumerate(line):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == ":" and not in_quotes:
            colon = index
            break
    assert colon > 0, f"no value in {line!r}"
    head, value = line[:colon], line[colon + 1 :]
    name, *params = head.split(";")
    return name.upper(), dict(p.split("=", 1) for p in params), value


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(data: bytes) -> Any:
    """Components as nested dicts: {"name", "props": {NAME: [(params, value)]}, "children"}."""
    root: Any = {"name": None, "props": {}, "children": []}
    stack = [root]
    for line in unfold(data):
        name, params, value = split_line(line)
        if name == "BEGIN":
            node: Any = {"name": value.upper(), "props": {}, "children": []}
            stack[-1]["children"].append(node)
            stack.append(node)
        elif name == "END":
            assert stack.pop()["name"] == value.upper()
        else:
            stack[-1]["props"].setdefault(name, []).append((params, value))
    assert len(stack) == 1
    [calendar] = root["children"]
    return calendar


def one(node, name):
    [(params, value)] = node["props"][name]
    return params, value


def instant(params: dict[str, str], value: str) -> datetime:
    local = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return local.replace(tzinfo=UTC)
    return local.replace(tzinfo=ZoneInfo(params["TZID"].strip('"')))


def events(calendar):
    return [c for c in calendar["children"] if c["name"] == "VEVENT"]


def test_one_gathering_across_a_dst_change_reads_back_exactly(client):
    host = UserFactory()
    # 20:00 CET on 28 March to 04:00 CEST on 29 March: seven hours.
    g = services.gathering_create(
        host=host,
        details=details(
            title="Night walk; bring a torch, please",
            description="Meet at the bridge.\nWe walk till dawn.",
            starts_local=datetime(2099, 3, 28, 20, 0),
            ends_local=datetime(2099, 3, 29, 4, 0),
            online=True,
            meeting_url="https://video.example.org/room/night-walk",
        ),
    )
    response = client.get(reverse("gathering_ics", args=[g.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = parse(response.content)
    assert cal["name"] == "VCALENDAR"
    assert one(cal, "VERSION")[1] == "2.0"
    assert one(cal, "PRODID")[1]
    [event] = events(cal)
    start, end = instant(*one(event, "DTSTART")), instant(*one(event, "DTEND"))
    assert one(event, "DTSTART")[0]["TZID"] == "Europe/Berlin"
    assert (start, end) == (g.starts_at, g.ends_at)
    # (Subtracting in one zone would give wall-clock hours; the real length is in UTC.)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=7)
    assert (start.utcoffset(), end.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert unescape(one(event, "SUMMARY")[1]) == "Night walk; bring a torch, please"
    assert unescape(one(event, "DESCRIPTION")[1]).startswith("Meet at the bridge.\nWe walk")
    assert one(event, "UID")[1] == f"gathering-{g.pk}@testserver"
    assert one(event, "STATUS")[1] == "CONFIRMED"
    assert one(event, "URL")[1] == f"http://testserver/gatherings/{g.pk}"
    # Logged out: the address, but never the meeting link.
    location = unescape(one(event, "LOCATION")[1])
    assert "Paul-Lincke-Ufer 1" in location
    assert "video.example.org" not in response.content.decode()
    # The zone it names is defined, with both its standard and daylight rules.
    [zone] = [c for c in cal["children"] if c["name"] == "VTIMEZONE"]
    assert one(zone, "TZID")[1] == "Europe/Berlin"
    assert {c["name"] for c in zone["children"]} >= {"STANDARD", "DAYLIGHT"}


def test_people_going_get_the_meeting_link(client_for):
    host, guest = UserFactory(), UserFactory()
    g = gathering(host, online=True, address="", meeting_url="https://meet.example.org/abc")
    url = reverse("gathering_ics", args=[g.pk])
    assert "meet.example.org" not in client_for(guest).get(url).content.decode()
    services.rsvp_set(gathering=g, user=guest, state="going")
    [event] = events(parse(client_for(guest).get(url).content))
    assert unescape(one(event, "LOCATION")[1]) == "https://meet.example.org/abc"


def test_personal_feed_lists_my_gatherings_marks_cancelled_and_resets(client_for, client):
    me, host = UserFactory(), UserFactory()
    going = gathering(host, title="Going", tz="America/New_York")
    maybe = gathering(host, title="Maybe")
    cant = gathering(host, title="Cannot")
    mine = gathering(me, title="Hosting")
    gathering(host, title="Not mine")
    services.rsvp_set(gathering=going, user=me, state="going")
    services.rsvp_set(gathering=maybe, user=me, state="maybe")
    services.rsvp_set(gathering=cant, user=me, state="cant")
    services.gathering_cancel(gathering=maybe, actor=host)
    page = client_for(me)
    assert page.post(reverse("gathering_calendar_reset")).status_code == 302
    token = CalendarFeed.objects.get(user=me).token
    feed_url = reverse("gathering_calendar_feed", args=[token])
    response = client.get(feed_url)  # no session: calendar apps have none
    assert response.status_code == 200
    cal = parse(response.content)
    found = {unescape(one(e, "SUMMARY")[1]): e for e in events(cal)}
    assert set(found) == {"Going", "Maybe", "Hosting"}
    assert one(found["Maybe"], "STATUS")[1] == "CANCELLED"
    assert int(one(found["Maybe"], "SEQUENCE")[1]) == 1
    ny = one(found["Going"], "DTSTART")
    assert ny[0]["TZID"] == "America/New_York"
    assert instant(*ny) == going.starts_at
    assert {one(z, "TZID")[1] for z in cal["children"] if z["name"] == "VTIMEZONE"} == {
        "America/New_York",
        "Europe/Berlin",
    }
    assert mine.pk and "Not mine" not in response.content.decode()
    # A new address: the old one is gone.
    page.post(reverse("gathering_calendar_reset"))
    assert client.get(feed_url).status_code == 404
    assert client.get(reverse("gathering_calendar_feed", args=["nope"])).status_code == 404


def test_feed_drops_a_private_community_gathering_after_leaving(client):
    owner, me = UserFactory(), UserFactory()
    place = community(owner, visibility="private")
    g = gathering(owner, community=place)
    from hearth.gatherings.tests.factories import join

    membership = join(place, me)
    services.rsvp_set(gathering=g, user=me, state="going")
    token = services.calendar_feed_get_or_create(user=me).token
    url = reverse("gathering_calendar_feed", args=[token])
    assert len(events(parse(client.get(url).content))) == 1
    membership.delete()
    assert events(parse(client.get(url).content)) == []


def test_the_personal_feed_costs_the_same_queries_for_three_or_nine_gatherings(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me, host = UserFactory(), UserFactory()
    place = community(host)
    join(place, me)
    token = services.calendar_feed_get_or_create(user=me).token
    url = reverse("gathering_calendar_feed", args=[token])

    def add(count):
        for i in range(count):
            g = gathering(host, title=f"Walk {i}", community=place if i % 2 else None)
            services.rsvp_set(gathering=g, user=me, state="going")

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert len(events(parse(client.get(url).content))) == 3
    add(6)
    with CaptureQueriesContext(connection) as many:
        assert len(events(parse(client.get(url).content))) == 9
    assert len(many) == len(few)
