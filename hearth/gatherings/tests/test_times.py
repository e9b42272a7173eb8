"""Times in the viewer's own zone, without JavaScript.

The host's zone is always named; a signed-in viewer who chose another zone
in their wellbeing settings also reads the time on their own clock. The
rows around a daylight saving change check that the two clocks are apart by
the right amount on each side of it (New York moves a fortnight before
Berlin).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import page_ok
from hearth.gatherings.templatetags.gatherings import describe_when
from hearth.gatherings.tests.factories import community, gathering
from hearth.wellbeing.services import preferences_update

pytestmark = pytest.mark.django_db

# (host zone, local start, viewer zone, what the viewer reads)
ROWS = [
    (
        "Europe/Berlin",
        datetime(2027, 2, 13, 19, 0),
        "Europe/London",
        "Sat 13 Feb 2027, 19:00\u201321:00 Berlin time (CET)"
        " · 18:00\u201320:00 your time (London, GMT)",
    ),
    # New York still on standard time: six hours apart, past midnight in Berlin.
    (
        "America/New_York",
        datetime(2027, 3, 11, 18, 0),
        "Europe/Berlin",
        "Thu 11 Mar 2027, 18:00\u201320:00 New York time (EST)"
        " · Fri 12 Mar, 00:00\u201302:00 your time (Berlin, CET)",
    ),
    # New York moved its clocks on 14 March, Berlin not yet: five hours apart.
    (
        "America/New_York",
        datetime(2027, 3, 16, 18, 0),
        "Europe/Berlin",
        "Tue 16 Mar 2027, 18:00\u201320:00 New York time (EDT)"
        " · Tue 16 Mar, 23:00 \u2013 Wed 17 Mar, 01:00 your time (Berlin, CET)",
    ),
    # Both on summer time: six hours again.
    (
        "America/New_York",
        datetime(2027, 3, 30, 12, 0),
        "Europe/Berlin",
        "Tue 30 Mar 2027, 12:00\u201314:00 New York time (EDT)"
        " · 18:00\u201320:00 your time (Berlin, CEST)",
    ),
    # Same clock as the host (Paris and Berlin): said once.
    (
        "Europe/Berlin",
        datetime(2027, 2, 13, 19, 0),
        "Europe/Paris",
        "Sat 13 Feb 2027, 19:00\u201321:00 CET (Europe/Berlin)",
    ),
]


@pytest.mark.parametrize(("host_tz", "starts", "viewer_tz", "expected"), ROWS)
def test_the_viewer_reads_the_time_on_their_own_clock(
    host_tz, starts, viewer_tz, expected, client_for
):
    g = gathering(UserFactory(), tz=host_tz, starts_local=starts, title="Poetry by video")
    viewer = UserFactory()
    preferences_update(user=viewer, time_zone=viewer_tz)
    client = client_for(viewer)
    assert expected in page_ok(client, g.get_absolute_url())
    assert expected in page_ok(client, reverse("gatherings"))


def test_logged_out_and_unset_zones_read_the_host_zone(client_for):
    g = gathering(UserFactory(), tz="America/New_York", starts_local=datetime(2027, 3, 16, 18, 0))
    host_only = "Tue 16 Mar 2027, 18:00\u201320:00 EDT (America/New York)"
    never_chose = UserFactory()  # the wellbeing default, UTC, means "not chosen"
    for client in (client_for(None), client_for(never_chose)):
        html = page_ok(client, g.get_absolute_url())
        assert host_only in html and "your time" not in html
        # The browser may still add the viewer's time (hearth.js localTimes).
        assert "data-localised" not in html


def test_a_chosen_zone_stops_the_browser_adding_a_second_one(client_for):
    g = gathering(UserFactory(), tz="Europe/Berlin", starts_local=datetime(2027, 2, 13, 19, 0))
    viewer = UserFactory()
    preferences_update(user=viewer, time_zone="Europe/Berlin")
    html = page_ok(client_for(viewer), g.get_absolute_url())
    assert 'data-viewer-tz="Europe/Berlin" data-localised="1"' in html
    assert "your time" not in html, "the host's zone is the viewer's: said once"


def test_a_gathering_across_the_change_names_the_side_it_starts_on():
    g = gathering(
        UserFactory(),
        tz="Europe/Berlin",
        starts_local=datetime(2027, 3, 27, 20, 0),
        ends_local=datetime(2027, 3, 28, 4, 0),
    )
    # 20:00 CET to 04:00 CEST is seven hours; New York has been on EDT for a fortnight.
    assert describe_when(g, "America/New_York") == (
        "Sat 27 Mar 2027, 20:00 \u2013 Sun 28 Mar 2027, 04:00 Berlin time (CET)"
        " · Sat 27 Mar, 15:00\u201322:00 your time (New York, EDT)"
    )


def test_the_community_page_lists_gatherings_in_the_viewer_zone(client_for):
    host = UserFactory()
    place = community(host, slug="canal-walkers")
    gathering(host, community=place, tz="Europe/Berlin", starts_local=datetime(2027, 2, 13, 19, 0))
    viewer = UserFactory()
    preferences_update(user=viewer, time_zone="Europe/London")
    html = page_ok(client_for(viewer), reverse("community", args=[place.slug]))
    assert "18:00\u201320:00 your time (London, GMT)" in html
