"""Who sees what of a gathering, as one table checked through the real pages.

Rows: viewers (logged out, a stranger, a community member, someone going,
someone the host blocked, someone who blocked the host, the host). Columns:
gathering kinds (a personal one keeping its address for people going, one
hosted for a public community, one for a private community). Each cell
checks the page (or its 404), the attendee list, the meeting link, the
exact address, and whether an RSVP goes through.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hearth.accounts.models import Block
from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import page_text
from hearth.gatherings import services
from hearth.gatherings.models import Rsvp
from hearth.gatherings.tests.factories import community, gathering, join

pytestmark = pytest.mark.django_db

VIEWERS = ["logged_out", "stranger", "member", "going", "blocked_by_host", "blocking_host", "host"]
KINDS = ["personal", "public_community", "private_community"]
SIGNED_IN = set(VIEWERS) - {"logged_out"}
INSIDE = {"member", "going", "blocked_by_host", "blocking_host", "host"}  # community members

SEES = {
    "personal": set(VIEWERS),
    "public_community": set(VIEWERS),
    "private_community": INSIDE,
}
ATTENDEES = {"stranger", "member", "going", "host"}  # signed in, no block with the host
LINK = {"going", "host"}
RSVP = {"stranger", "member", "going", "blocking_host"}  # not the host, not blocked by them

ADDRESS = "Paul-Lincke-Ufer 1"
LINK_URL = "https://meet.example.org/secret-room"
ATTENDEE_NAME = "Quentin Attendee"


def _world(kind):
    host = UserFactory(username="host")
    people = {"host": host}
    for name in VIEWERS[1:-1]:
        people[name] = UserFactory(username=name.replace("_", ""))
    place = None
    if kind != "personal":
        place = community(host, visibility=kind.split("_")[0])
        for name in INSIDE - {"host"}:
            join(place, people[name])
    g = gathering(
        host,
        community=place,
        online=True,
        address=ADDRESS + ", Berlin",
        area="Kreuzberg",
        address_attendees_only=kind == "personal",
        meeting_url=LINK_URL,
    )
    attendee = UserFactory(username="quentin", display_name=ATTENDEE_NAME)
    if place is not None:
        join(place, attendee)
    services.rsvp_set(gathering=g, user=attendee, state="going")
    services.rsvp_set(gathering=g, user=people["going"], state="going")
    Block.objects.create(blocker=host, blocked=people["blocked_by_host"])
    Block.objects.create(blocker=people["blocking_host"], blocked=host)
    return g, people


def _no_token(response):
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", page_text(response))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_access_table(kind, viewer, client_for):
    g, people = _world(kind)
    client = client_for(people.get(viewer))
    response = client.get(reverse("gathering", args=[g.pk]))
    ics = client.get(reverse("gathering_ics", args=[g.pk]))
    if viewer not in SEES[kind]:
        assert response.status_code == 404
        assert ics.status_code == 404
        missing = client.get(reverse("gathering", args=[g.pk + 12345]))
        assert missing.status_code == 404
        assert _no_token(missing) == _no_token(response), "forbidden looks like missing"
        assert client.get(reverse("gatherings")).content.count(g.title.encode()) == 0
        return
    assert response.status_code == 200
    html = page_text(response)
    ics_text = ics.content.decode().replace("\r\n ", "")
    assert (ATTENDEE_NAME in html) == (viewer in ATTENDEES), "attendee list"
    assert (LINK_URL in html) == (viewer in LINK), "meeting link on the page"
    assert (LINK_URL in ics_text) == (viewer in LINK), "meeting link in the .ics"
    sees_address = kind != "personal" or viewer in LINK
    assert (ADDRESS in html) == sees_address, "exact address"
    assert (ADDRESS in ics_text) == sees_address, "exact address in the .ics"
    assert "Kreuzberg" in html
    if sees_address:
        assert "openstreetmap.org/search?query=Paul-Lincke-Ufer" in html
    # An RSVP: "maybe" changes something for everyone but the host and the blocked.
    before = Rsvp.objects.filter(gathering=g, state="maybe").count()
    answer = client.post(reverse("gathering_rsvp", args=[g.pk]), {"state": "maybe"})
    changed = Rsvp.objects.filter(gathering=g, state="maybe").count() > before
    assert changed == (viewer in RSVP), answer.status_code
    if viewer == "blocked_by_host":
        assert answer.status_code == 403
    if viewer == "logged_out":
        assert answer.status_code == 302 and "/login" in answer["Location"]


def test_attendee_lists_leave_out_people_with_a_block_either_way(client_for):
    host, me, blocked, blocker = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    blocked.display_name, blocker.display_name = "Blocked Bea", "Blocker Bo"
    blocked.save()
    blocker.save()
    g = gathering(host)
    for person in (blocked, blocker):
        services.rsvp_set(gathering=g, user=person, state="going")
    Block.objects.create(blocker=me, blocked=blocked)
    Block.objects.create(blocker=blocker, blocked=me)
    html = page_text(client_for(me).get(reverse("gathering", args=[g.pk])))
    assert "Blocked Bea" not in html and "Blocker Bo" not in html
    html = page_text(client_for(host).get(reverse("gathering", args=[g.pk])))
    assert "Blocked Bea" in html and "Blocker Bo" in html
