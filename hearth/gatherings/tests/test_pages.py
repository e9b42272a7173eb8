"""The pages as a person uses them, without JavaScript (and the htmx swap)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import field_html, page_ok, page_text
from hearth.gatherings import selectors, services
from hearth.gatherings.models import Gathering, Rsvp
from hearth.gatherings.tests.factories import community, gathering, join, local_in

pytestmark = pytest.mark.django_db


def _form(**overrides):
    starts = local_in("Europe/Berlin")
    data = {
        "title": "Tea in the park",
        "description": "Bring a cup.",
        "tz": "Europe/Berlin",
        "starts": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends": starts.replace(hour=(starts.hour + 2) % 24).strftime("%Y-%m-%dT%H:%M"),
        "address": "Görlitzer Park, Berlin",
        "capacity": "",
        "meeting_url": "",
    }
    if starts.hour >= 22:
        data["starts"] = starts.replace(hour=18).strftime("%Y-%m-%dT%H:%M")
        data["ends"] = starts.replace(hour=20).strftime("%Y-%m-%dT%H:%M")
    data.update(overrides)
    return data


def test_host_creates_a_gathering_and_it_is_listed(client_for):
    host = UserFactory()
    client = client_for(host)
    assert "Host a gathering" in page_ok(client, reverse("gathering_create"))
    response = client.post(reverse("gathering_create"), _form())
    g = Gathering.objects.get()
    assert response.status_code == 302 and response["Location"] == g.get_absolute_url()
    assert Rsvp.objects.get(gathering=g).user == host
    html = page_ok(client, reverse("gatherings"))
    assert "Tea in the park" in html and "(Europe/Berlin)" in html
    assert "Tea in the park" in page_ok(client, reverse("gatherings") + "?show=yours")
    assert "Tea in the park" not in page_ok(client, reverse("gatherings") + "?show=past")
    detail = page_ok(client, g.get_absolute_url())
    assert 'data-tz="Europe/Berlin"' in detail
    assert "openstreetmap.org/search?query=G%C3%B6rlitzer+Park" in detail
    assert "<script" not in detail.split("</head>")[1], "no third-party map script"


def test_bad_input_shows_per_field_errors_keeps_text_and_saves_nothing(client_for):
    client = client_for(UserFactory())
    data = _form(
        title="My typed title",
        ends="2000-01-01T10:00",
        meeting_url="javascript:alert(1)",
    )
    response = client.post(reverse("gathering_create"), data)
    assert response.status_code == 400
    html = page_text(response)
    assert "The end must be after the start." in field_html(html, "ends")
    assert "https://" in field_html(html, "meeting_url")
    assert 'value="My typed title"' in field_html(html, "title")
    assert 'value="javascript:alert(1)"' in field_html(html, "meeting_url")
    assert not Gathering.objects.exists()


def test_a_time_the_clocks_skip_is_an_error_on_that_field(client_for):
    client = client_for(UserFactory())
    response = client.post(
        reverse("gathering_create"),
        _form(starts="2099-03-29T02:30", ends="2099-03-29T05:00"),
    )
    assert response.status_code == 400
    assert "doesn't exist in Europe/Berlin" in field_html(page_text(response), "starts")


def test_capacity_below_going_on_the_edit_page(client_for):
    host = UserFactory()
    g = gathering(host, capacity=4)
    services.rsvp_set(gathering=g, user=UserFactory(), state="going")
    client = client_for(host)
    form = page_ok(client, reverse("gathering_edit", args=[g.pk]))
    assert 'value="Walk by the river"' in form
    start = g.starts_at.astimezone(g.zone).strftime("%Y-%m-%dT%H:%M")
    end = g.ends_at.astimezone(g.zone).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("gathering_edit", args=[g.pk]),
        _form(title="Renamed", starts=start, ends=end, capacity="1"),
    )
    assert response.status_code == 400
    assert "2 people are already going" in field_html(page_text(response), "capacity")
    g.refresh_from_db()
    assert (g.title, g.capacity) == ("Walk by the river", 4)
    other = client_for(UserFactory())
    assert other.get(reverse("gathering_edit", args=[g.pk])).status_code == 403


def test_rsvp_buttons_work_without_js_and_with_htmx(client_for):
    host, guest, late = UserFactory(), UserFactory(), UserFactory()
    g = gathering(host, capacity=2)
    client = client_for(guest)
    html = page_ok(client, g.get_absolute_url())
    assert 'name="state" value="going"' in html
    response = client.post(reverse("gathering_rsvp", args=[g.pk]), {"state": "going"})
    assert response.status_code == 302
    assert "You're going" in page_ok(client, g.get_absolute_url())
    late_client = client_for(late)
    assert "Join the waitlist" in page_ok(late_client, g.get_absolute_url())
    partial = late_client.post(
        reverse("gathering_rsvp", args=[g.pk]), {"state": "going"}, HTTP_HX_REQUEST="true"
    )
    text = page_text(partial)
    assert partial.status_code == 200 and "<html" not in text
    assert "You're on the waitlist" in text
    client.post(reverse("gathering_rsvp", args=[g.pk]), {"state": "cant"})
    assert Rsvp.objects.get(gathering=g, user=late).state == "going"
    notifications = page_ok(client_for(late), reverse("notifications"))
    assert "you moved up from the waitlist" in notifications


def test_cancel_from_the_page(client_for):
    host, guest = UserFactory(), UserFactory()
    g = gathering(host)
    services.rsvp_set(gathering=g, user=guest, state="going")
    assert client_for(guest).post(reverse("gathering_cancel", args=[g.pk])).status_code == 403
    client_for(host).post(reverse("gathering_cancel", args=[g.pk]))
    g.refresh_from_db()
    assert g.is_cancelled
    assert "cancelled" in page_ok(client_for(guest), reverse("notifications"))
    assert "Tea" not in page_ok(client_for(guest), reverse("gatherings"))


def test_community_page_lists_upcoming_gatherings(client_for):
    owner, member = UserFactory(), UserFactory()
    place = community(owner, visibility="private")
    join(place, member)
    gathering(member, community=place, title="Picnic by the canal")
    html = page_ok(client_for(member), reverse("community", args=[place.slug]))
    assert "Picnic by the canal" in html
    assert f"?community={place.pk}" in html
    outsider = page_ok(client_for(UserFactory()), reverse("community", args=[place.slug]))
    assert "Picnic by the canal" not in outsider
    assert "Picnic" not in page_ok(client_for(None), reverse("gatherings"))


def test_host_for_a_community_from_the_form(client_for):
    owner = UserFactory()
    place = community(owner)
    client = client_for(owner)
    form = page_ok(client, reverse("gathering_create") + f"?community={place.pk}")
    assert f'<option value="{place.pk}" selected>' in form
    client.post(reverse("gathering_create"), _form(community=str(place.pk)))
    assert Gathering.objects.get().community == place


def _walk(client, url):
    """Follow "Show more" from `url` to the end; the titles in the order they were shown."""
    seen, pages = [], 0
    while url:
        html = page_ok(client, url)
        pages += 1
        seen += re.findall(r'<h3><a href="/gatherings/\d+">([^<]+)</a>', html)
        more = re.search(r'href="([^"]+)" rel="next">Show more</a>', html)
        url = unescape(more.group(1)) if more else None
        assert pages < 20
    return seen, pages


@pytest.mark.parametrize("show", ["upcoming", "past", "yours"])
def test_long_lists_continue_with_show_more(show, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_PAGE", 2)
    monkeypatch.setattr(selectors, "YOURS_PAGE", 2)
    host, me = UserFactory(), UserFactory()
    made = []
    for n in range(5):
        # Two start at the same moment, so the order falls back on the id.
        starts = local_in("Europe/Berlin", days=3 + min(n, 3))
        g = gathering(host, starts_local=starts, title=f"Reading circle number {n}")
        if show == "yours" and n != 2:
            services.rsvp_set(gathering=g, user=me, state="maybe" if n % 2 else "going")
        made.append(g)
    if show == "past":
        for n, g in enumerate(made):
            gone = timezone.now() - timedelta(days=10 - n)
            Gathering.objects.filter(pk=g.pk).update(
                starts_at=gone, ends_at=gone + timedelta(hours=2)
            )
    titles, pages = _walk(client_for(me), reverse("gatherings") + f"?show={show}")
    expected = [g.title for g in made if show != "yours" or g.title[-1] != "2"]
    if show == "past":
        expected.reverse()
    assert titles == expected, "each once, in order"
    assert pages == -(-len(expected) // 2), "no empty last page"
    # Junk in the address reads as the first page.
    first = page_ok(client_for(me), reverse("gatherings") + f"?show={show}&after=x.y")
    assert expected[0] in first


def test_the_end_of_a_list_says_so(client_for):
    last = page_ok(client_for(None), reverse("gatherings") + "?after=99999999999999999.5")
    assert "That's all" in last and "Back to the start" in last
