"""The middleware, the pause, the heartbeat, the dashboard, the settings page and counts off."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory
from hearth.wellbeing.models import Preferences, UsageBucket

pytestmark = pytest.mark.django_db


def use_today(user, minutes: int, area: str = "feed") -> None:
    now = timezone.now()
    UsageBucket.objects.create(
        user=user, date=now.date(), hour=now.hour, area=area, seconds=minutes * 60
    )


def test_page_views_move_the_cursor_but_partials_api_and_posts_do_not(client_for):
    user = UserFactory()
    c = client_for(user)
    c.get("/home")
    prefs = Preferences.objects.get(user=user)
    assert prefs.last_area == "feed" and prefs.last_seen is not None
    Preferences.objects.filter(user=user).update(last_seen=None)
    c.get("/home", HTTP_HX_REQUEST="true")
    c.get("/api/v1/instance")
    c.get("/static/hearth/hearth.css")
    c.post("/notifications/read")
    assert Preferences.objects.get(user=user).last_seen is None
    c.get("/messages")
    assert Preferences.objects.get(user=user).last_area == "conversations"


def test_anonymous_visitors_are_not_counted(client):
    client.get("/")
    client.get("/communities")
    assert not Preferences.objects.exists()


def test_budget_reached_pauses_pages_with_an_easy_way_on(client_for):
    user = UserFactory()
    Preferences.objects.create(user=user, daily_budget_minutes=30)
    use_today(user, 31)
    c = client_for(user)
    r = c.get("/home")
    assert r.status_code == 200
    assert r.templates[0].name == "wellbeing/pause.html"
    assert b"15 more minutes" in r.content and b"Close Hearth for today" in r.content
    r = c.post("/wellbeing/more", {"next": "/home"})
    assert r.status_code == 302 and r["Location"] == "/home"
    r = c.get("/home")
    assert "wellbeing/pause.html" not in [t.name for t in r.templates]


@pytest.mark.parametrize(
    "path", ["/wellbeing", "/settings/wellbeing", "/settings/profile", "/support/resources"]
)
def test_some_pages_are_never_paused(client_for, path):
    user = UserFactory()
    Preferences.objects.create(user=user, daily_budget_minutes=5)
    use_today(user, 60)
    r = client_for(user).get(path)
    assert r.status_code == 200
    assert "wellbeing/pause.html" not in [t.name for t in r.templates]


def test_the_pause_never_blocks_logging_out(client_for):
    user = UserFactory()
    Preferences.objects.create(user=user, daily_budget_minutes=5)
    use_today(user, 60)
    c = client_for(user)
    assert c.post("/logout").status_code == 302
    assert c.get("/home").status_code == 302  # signed out: to the login page


def test_no_budget_no_pause(client_for):
    user = UserFactory()
    use_today(user, 600)
    r = client_for(user).get("/home")
    assert "wellbeing/pause.html" not in [t.name for t in r.templates]


def test_heartbeat_extends_time_and_asks_for_the_pause(client_for):
    user = UserFactory()
    Preferences.objects.create(
        user=user,
        daily_budget_minutes=5,
        last_seen=timezone.now() - timedelta(seconds=60),
        last_area="feed",
    )
    use_today(user, 4)
    c = client_for(user)
    r = c.post("/wellbeing/heartbeat", {"path": "/home"})
    assert r.status_code == 200
    assert r.json() == {"break": "", "pause": True}
    assert sum(b.seconds for b in UsageBucket.objects.filter(user=user)) >= 5 * 60
    # From the dashboard the pause is never asked for.
    Preferences.objects.filter(user=user).update(last_seen=timezone.now() - timedelta(seconds=60))
    assert c.post("/wellbeing/heartbeat", {"path": "/wellbeing"}).json()["pause"] is False


def test_heartbeat_needs_sign_in_and_post(client, client_for):
    assert client.post("/wellbeing/heartbeat").status_code == 302
    assert client_for(UserFactory()).get("/wellbeing/heartbeat").status_code == 405


def test_break_reminder_shows_as_a_message(client_for):
    user = UserFactory()
    start = timezone.now() - timedelta(minutes=20)
    Preferences.objects.create(
        user=user,
        break_reminder_minutes=15,
        streak_start=start,
        last_seen=timezone.now() - timedelta(minutes=1),
    )
    r = client_for(user).get("/home")
    assert b"15 minutes in a row" in r.content


def svgs(content: bytes) -> list[ET.Element]:
    html = content.decode()
    found = []
    while "<svg" in html:
        start = html.index("<svg")
        end = html.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(html[start:end]))  # noqa: S314 -- our own page
        html = html[end:]
    return found


def bars(svg: ET.Element) -> int:
    rects = svg.iter("{http://www.w3.org/2000/svg}rect")
    return sum(1 for e in rects if e.get("class") == "chart__bar")


def test_dashboard_with_no_data(client_for):
    r = client_for(UserFactory()).get("/wellbeing")
    assert r.status_code == 200
    charts = svgs(r.content)
    assert [bars(s) for s in charts] == [30, 24]
    assert b"No time recorded in the last 30 days" in r.content


def test_dashboard_with_one_day_and_thirty_days(client_for):
    user = UserFactory()
    c = client_for(user)
    use_today(user, 42, area="communities")
    r = c.get("/wellbeing")
    assert [bars(s) for s in svgs(r.content)] == [30, 24]
    assert b"42 minutes" in r.content
    today = timezone.now().date()
    UsageBucket.objects.bulk_create(
        UsageBucket(user=user, date=today - timedelta(days=d), hour=d % 24, area="feed", seconds=60)
        for d in range(1, 35)
    )
    r = c.get("/wellbeing")
    assert [bars(s) for s in svgs(r.content)] == [30, 24]
    # Today and the 29 days before are in the table; the days before those are not.
    rows = r.context["day_rows"]
    assert len(rows) == 30 and rows[0][0] == today - timedelta(days=29)


def test_dashboard_is_private(client):
    assert client.get("/wellbeing").status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"daily_budget_minutes": "3"}, "daily_budget_minutes", "at least 5 minutes"),
        ({"daily_budget_minutes": "2000"}, "daily_budget_minutes", "A day has 1440 minutes"),
        ({"daily_budget_minutes": "lots"}, "daily_budget_minutes", "whole number"),
        ({"break_reminder_minutes": "1"}, "break_reminder_minutes", "at least 5 minutes"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Pick a time zone from the list"),
    ],
)
def test_settings_explain_what_is_wrong(client_for, data, field, message):
    r = client_for(UserFactory()).post("/settings/wellbeing", {"time_zone": "UTC", **data})
    assert r.status_code == 400
    assert message in " ".join(r.context["form"].errors[field])


def test_settings_save_and_keep_usage_cursor(client_for):
    user = UserFactory()
    c = client_for(user)
    r = c.get("/settings/wellbeing")
    assert r.status_code == 200 and b'aria-current="page">Wellbeing' in r.content
    before = Preferences.objects.get(user=user).last_seen
    r = c.post(
        "/settings/wellbeing",
        {
            "time_zone": "America/Sao_Paulo",
            "daily_budget_minutes": "45",
            "break_reminder_minutes": "",
            "hide_own_counts": "on",
        },
    )
    assert r.status_code == 302
    prefs = Preferences.objects.get(user=user)
    assert (prefs.time_zone, prefs.daily_budget_minutes, prefs.break_reminder_minutes) == (
        "America/Sao_Paulo",
        45,
        None,
    )
    assert prefs.hide_own_counts and prefs.last_seen == before


def test_counts_off_hides_my_counts_from_me_only(client_for):
    me, other = UserFactory(), UserFactory()
    mine = client_for(me)
    assert b"follower" in mine.get(f"/@{me.username}").content
    Preferences.objects.update_or_create(user=me, defaults={"hide_own_counts": True})
    assert b"0 followers" not in mine.get(f"/@{me.username}").content
    # Others' counts still show to me, and mine to others (User.show_counts decides that).
    other.show_counts = True
    other.save(update_fields=["show_counts"])
    assert b"0 followers" in mine.get(f"/@{other.username}").content
    me.show_counts = True
    me.save(update_fields=["show_counts"])
    assert b"0 followers" in client_for(other).get(f"/@{me.username}").content


def test_counts_off_turns_unread_numbers_into_a_dot(client_for):
    from hearth.accounts.services import follow_create
    from hearth.conftest import committed

    me = UserFactory()
    for _ in range(3):
        with committed():
            follow_create(follower=UserFactory(), followee=me)
    mine = client_for(me)
    assert b'aria-label="3 unread">3</span>' in mine.get("/wellbeing").content
    Preferences.objects.update_or_create(user=me, defaults={"hide_own_counts": True})
    page = mine.get("/wellbeing").content
    assert b'aria-label="3 unread"' not in page
    assert b'class="badge badge--dot" aria-label="unread"' in page
