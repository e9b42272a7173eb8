"""Who sees what of a gathering, as one table checked through the real pages.

Rows: viewers (logged out, a stranger, a community member, someone going,
someone the host blocked, someone who blocked the host, the host). Columns:
gathering kinds (a personal one keeping its address for people going, one
hosted for a public community, one for a private community). Each cell
checks the page (or its 404), the attendee list, the meeting link, the
exact address, and whether an RSVP goes through.

A gathering whose host blocked the viewer is a 404, as the host's profile
is. A second table checks what a block does to people who had answered.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import Block
from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import page_ok, page_text
from hearth.gatherings import services
from hearth.gatherings.models import CalendarFeed, Rsvp
from hearth.gatherings.tests.factories import community, gathering, join

pytestmark = pytest.mark.django_db

VIEWERS = ["logged_out", "stranger", "member", "going", "blocked_by_host", "blocking_host", "host"]
KINDS = ["personal", "public_community", "private_community"]
SIGNED_IN = set(VIEWERS) - {"logged_out"}
INSIDE = {"member", "going", "blocked_by_host", "blocking_host", "host"}  # community members

# Someone the host blocked finds no trace of the gathering, as of the host's profile.
SEES = {
    "personal": set(VIEWERS) - {"blocked_by_host"},
    "public_community": set(VIEWERS) - {"blocked_by_host"},
    "private_community": INSIDE - {"blocked_by_host"},
}
ATTENDEES = {"stranger", "member", "going", "host"}  # signed in, no block with the host
LINK = {"going", "host"}
RSVP = {"stranger", "member", "going"}  # not the host, no block either way

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
        assert answer.status_code == 404
    if viewer == "blocking_host":
        assert answer.status_code == 403
        assert "You blocked the host" in html
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


# --- what a block does to people who had answered -----------------------------------
#
# Rows: who blocks whom, and what the other person had answered. The host's
# gathering has one place left when the block comes, then is full, with
# "Waiting Wanda" first on the waitlist. Each row checks the page, the .ics,
# the person's calendar feed and "Yours" list, and who holds the place.

WANDA = "Waiting Wanda"
AFTER_BLOCK = [
    # (row, who blocks, the other person's answer before, a place frees up)
    ("blocked attendee", "host", "going", True),
    ("blocked waitlisted person", "host", "waitlisted", False),
    ("blocked person who said maybe", "host", "maybe", False),
    ("blocker who is an attendee of the blocked host's gathering", "person", "going", True),
    ("blocker on the blocked host's waitlist", "person", "waitlisted", False),
]


def _answered_then_blocked(client_for, who_blocks, answer):
    host = UserFactory(username="hosthilde")
    person = UserFactory(username="pat", display_name="Pat Person")
    wanda = UserFactory(username="wanda", display_name=WANDA)
    g = gathering(host, online=True, meeting_url=LINK_URL, capacity=3, title="Evening by the canal")
    g.address_attendees_only = True
    g.save()
    services.rsvp_set(gathering=g, user=UserFactory(), state="going")
    if answer == "waitlisted":
        services.rsvp_set(gathering=g, user=UserFactory(), state="going")  # now full
        services.rsvp_set(gathering=g, user=wanda, state="going")
        services.rsvp_set(gathering=g, user=person, state="going")
    else:
        services.rsvp_set(gathering=g, user=person, state=answer)
        if answer == "going":  # full now; Wanda waits
            services.rsvp_set(gathering=g, user=wanda, state="going")
        else:
            services.rsvp_set(gathering=g, user=UserFactory(), state="going")
            services.rsvp_set(gathering=g, user=wanda, state="going")
    assert Rsvp.objects.get(gathering=g, user=person).state == answer
    person_client = client_for(person)
    person_client.post(reverse("gathering_calendar_reset"), follow=True)
    feed_url = reverse(
        "gathering_calendar_feed", args=[CalendarFeed.objects.get(user=person).token]
    )
    assert "Evening by the canal" in page_text(person_client.get(feed_url))
    blocker, blocked = (host, person) if who_blocks == "host" else (person, host)
    # Through the profile's block button, as people do it; the event runs after commit.
    response = client_for(blocker).post(reverse("relationship", args=[blocked.username, "block"]))
    assert response.status_code in (200, 302)
    return g, host, person, wanda, person_client, feed_url


@pytest.mark.parametrize(
    ("who_blocks", "answer", "frees_place"),
    [row[1:] for row in AFTER_BLOCK],
    ids=[row[0] for row in AFTER_BLOCK],
)
def test_a_block_ends_attendance_and_the_link_goes_with_it(
    who_blocks, answer, frees_place, client_for
):
    g, host, person, wanda, client, feed_url = _answered_then_blocked(
        client_for, who_blocks, answer
    )
    assert not Rsvp.objects.filter(gathering=g, user=person).exists(), "answer removed"
    wanda_state = Rsvp.objects.get(gathering=g, user=wanda).state
    assert (wanda_state == "going") == frees_place, "the first person waiting moves up"
    assert Rsvp.objects.filter(gathering=g, state="going").count() == 3, "never overbooked"

    page = client.get(g.get_absolute_url())
    ics = client.get(reverse("gathering_ics", args=[g.pk]))
    feed = page_text(client.get(feed_url))
    yours = page_ok(client, reverse("gatherings") + "?show=yours")
    assert "Evening by the canal" not in feed and LINK_URL not in feed
    assert "Evening by the canal" not in yours
    if who_blocks == "host":
        # As the host's profile: as if the gathering did not exist.
        assert page.status_code == 404 and ics.status_code == 404
        missing = client.get(reverse("gathering", args=[g.pk + 999]))
        assert _no_token(page) == _no_token(missing)
        answer_again = client.post(reverse("gathering_rsvp", args=[g.pk]), {"state": "going"})
        assert answer_again.status_code == 404
    else:
        html = page_text(page)
        assert page.status_code == 200 and "You blocked the host" in html
        assert LINK_URL not in html and ADDRESS not in html
        assert LINK_URL not in ics.content.decode().replace("\r\n ", "")
        answer_again = client.post(reverse("gathering_rsvp", args=[g.pk]), {"state": "going"})
        assert answer_again.status_code == 403
    assert not Rsvp.objects.filter(gathering=g, user=person).exists()
    # The host's page does not list the person either.
    assert "Pat Person" not in page_ok(client_for(host), g.get_absolute_url())


def test_the_link_is_hidden_from_the_moment_of_the_block(client_for):
    """Even before the background work removes the answer (a queued task), neither side
    of a block is treated as going: no link, no attendees-only address."""
    host, blocked, blocker = UserFactory(), UserFactory(), UserFactory()
    g = gathering(host, online=True, meeting_url=LINK_URL)
    for person in (blocked, blocker):
        services.rsvp_set(gathering=g, user=person, state="going")
    Block.objects.create(blocker=host, blocked=blocked)  # no event: the task has not run
    Block.objects.create(blocker=blocker, blocked=host)
    assert client_for(blocked).get(g.get_absolute_url()).status_code == 404
    for person in (blocked, blocker):
        client = client_for(person)
        client.post(reverse("gathering_calendar_reset"))
        token = CalendarFeed.objects.get(user=person).token
        feed = page_text(client.get(reverse("gathering_calendar_feed", args=[token])))
        assert LINK_URL not in feed and g.title not in feed
    html = page_ok(client_for(blocker), g.get_absolute_url())
    assert LINK_URL not in html
    assert (
        LINK_URL
        not in client_for(blocker).get(reverse("gathering_ics", args=[g.pk])).content.decode()
    )


def test_someone_banned_from_the_hosting_community_is_not_treated_as_going(client_for):
    host, person = UserFactory(), UserFactory()
    place = community(host)
    join(place, person)
    g = gathering(host, community=place, online=True, meeting_url=LINK_URL)
    services.rsvp_set(gathering=g, user=person, state="going")
    membership = place.memberships.get(user=person)
    membership.banned_until = timezone.now() + timedelta(days=30)
    membership.save()
    html = page_ok(client_for(person), g.get_absolute_url())
    assert LINK_URL not in html and "while you're banned there" in html
    answer = client_for(person).post(reverse("gathering_rsvp", args=[g.pk]), {"state": "maybe"})
    assert answer.status_code == 403


def test_a_community_ban_ends_a_place_at_its_gatherings_to_come_and_the_next_moves_up():
    from hearth.communities import services as community_services
    from hearth.conftest import committed

    host, banned, waiting = UserFactory(), UserFactory(), UserFactory()
    place = community(host)
    join(place, banned)
    join(place, waiting)
    g = gathering(host, community=place, online=True, meeting_url=LINK_URL, capacity=2)
    past = gathering(host, community=place)
    three_days_ago = timezone.now() - timedelta(days=3)
    type(past).objects.filter(pk=past.pk).update(
        starts_at=three_days_ago, ends_at=three_days_ago + timedelta(hours=2)
    )
    services.rsvp_set(gathering=g, user=banned, state="going")
    services.rsvp_set(gathering=g, user=waiting, state="going")  # the host holds one place
    assert Rsvp.objects.get(gathering=g, user=waiting).state == Rsvp.State.WAITLISTED
    Rsvp.objects.create(gathering=past, user=banned, state=Rsvp.State.GOING)
    with committed():
        community_services.member_mute(
            community=place, moderator=host, user_id=banned.pk, days=7, reason="Off-topic posts"
        )
    assert Rsvp.objects.get(gathering=g, user=banned).state == Rsvp.State.GOING  # a mute keeps it
    with committed():
        community_services.member_ban(
            community=place, moderator=host, user_id=banned.pk, days=None, reason="Harassment"
        )
    assert not Rsvp.objects.filter(gathering=g, user=banned).exists()
    assert Rsvp.objects.get(gathering=g, user=waiting).state == Rsvp.State.GOING
    # What they went to before stays theirs.
    assert Rsvp.objects.filter(gathering=past, user=banned).exists()
