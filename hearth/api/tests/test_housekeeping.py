"""The API's hourly housekeeping: expired tokens and old Idempotency-Keys go, live ones stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from hearth.accounts.tests.factories import UserFactory
from hearth.api.models import IdempotencyKey
from hearth.api.periodic import api_tick
from hearth.api.tests.conftest import ApiClient, issue_token

pytestmark = pytest.mark.django_db


def test_expired_tokens_and_old_keys_go_and_the_rest_keeps_working():
    alice, bob = UserFactory(), UserFactory()
    live = issue_token(alice)
    expired = issue_token(bob, expires_in=timedelta(seconds=-60))
    IdempotencyKey.objects.create(user=alice, key="fresh")
    old = IdempotencyKey.objects.create(user=bob, key="old")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))

    assert api_tick() == 1

    assert not AccessToken.objects.filter(user=bob).exists()
    assert AccessToken.objects.filter(user=alice).exists()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    response = ApiClient(live).get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert ApiClient(expired).get("/api/v1/accounts/verify_credentials").status_code == 401


def test_instance_stats_count_people_and_public_posts_only(settings):
    from django.core.cache import cache

    from hearth.posts.models import Audience
    from hearth.posts.tests.factories import publish

    cache.delete("hearth:api:instance-stats")
    alice, bob = UserFactory(), UserFactory()
    publish(alice, "Hello, everyone.")
    publish(bob, "Only for my followers.", audience=Audience.FOLLOWERS)
    body = ApiClient().get("/api/v1/instance").json()
    assert body["stats"]["user_count"] == 2
    assert body["stats"]["status_count"] == 1
    v2 = ApiClient().get("/api/v2/instance").json()
    assert v2["usage"]["users"]["active_month"] == 0  # nobody signed in yet
