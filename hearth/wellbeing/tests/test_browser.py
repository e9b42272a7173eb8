"""The budget pause in a real browser: it shows at the budget, and "15 more minutes" lifts it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import PASSWORD, UserFactory
from hearth.wellbeing.models import Preferences, UsageBucket

pytestmark = [pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/hearth-shots")


def test_pause_at_the_budget_and_the_easy_dismiss(new_context):
    from playwright.sync_api import expect

    user = UserFactory(username="rowan")
    Preferences.objects.create(user=user, daily_budget_minutes=20)
    now = timezone.now()
    UsageBucket.objects.create(user=user, date=now.date(), hour=now.hour, area="feed", seconds=1500)

    page = new_context().new_page()
    page.goto("/login")
    page.get_by_label("Username or email").fill("rowan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/home")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have reached the time you set for today"
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "wellbeing-pause.png"))
    # The dashboard stays reachable from the pause.
    expect(page.get_by_role("link", name="See your time")).to_be_visible()
    page.get_by_role("button", name="15 more minutes").click()
    page.wait_for_url("**/home")
    expect(page.get_by_role("button", name="15 more minutes")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    prefs = Preferences.objects.get(user=user)
    assert prefs.extra_date == timezone.now().date() and prefs.extra_seconds >= 15 * 60

    # The dashboard draws its charts with no script of its own.
    UsageBucket.objects.bulk_create(
        UsageBucket(
            user=user, date=now.date() - timedelta(days=d), hour=(8 + d) % 24, area=area, seconds=s
        )
        for d, area, s in [(1, "feed", 1800), (2, "conversations", 900), (5, "communities", 2400)]
    )
    page.goto("/wellbeing")
    expect(page.get_by_role("img", name="Your time on Hearth, last 30 days")).to_be_visible()
    page.screenshot(path=str(SHOTS / "wellbeing-dashboard.png"), full_page=True)
