"""Usage is kept only as long as needed: the retention window and "Forget my time"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import page_ok as page
from hearth.wellbeing.models import UsageBucket
from hearth.wellbeing.periodic import wellbeing_tick
from hearth.wellbeing.services import usage_prune

pytestmark = pytest.mark.django_db


def test_old_usage_is_deleted_after_the_retention_window():
    alice = UserFactory()
    today = timezone.now().date()
    for days in (0, 89, 95):
        UsageBucket.objects.create(
            user=alice, date=today - timedelta(days=days), hour=9, area="feed", seconds=60
        )
    assert usage_prune(now=timezone.now(), keep_days=90) == 1
    kept = sorted((today - b.date).days for b in UsageBucket.objects.filter(user=alice))
    assert kept == [0, 89]


def test_forget_my_time_deletes_only_my_usage(client_for):
    alice, bob = UserFactory(), UserFactory()
    today = timezone.now().date()
    for person in (alice, bob):
        UsageBucket.objects.create(user=person, date=today, hour=9, area="feed", seconds=600)
    client = client_for(alice)
    assert "Forget my time" in page(client, "/wellbeing")
    response = client.post("/wellbeing/forget")
    assert response.status_code == 302
    assert not UsageBucket.objects.filter(user=alice).exists()
    assert UsageBucket.objects.filter(user=bob).exists()
    assert "Forget my time" not in page(client, "/wellbeing")


def test_the_worker_keeps_the_configured_window(settings):
    settings.HEARTH_USAGE_RETENTION_DAYS = 30
    alice = UserFactory()
    today = timezone.now().date()
    for days in (10, 40):
        UsageBucket.objects.create(
            user=alice, date=today - timedelta(days=days), hour=9, area="feed", seconds=60
        )
    assert wellbeing_tick() == 1
    assert [(today - b.date).days for b in UsageBucket.objects.filter(user=alice)] == [10]
