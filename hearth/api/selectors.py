"""Reads of the client API's own records: tokens, apps, idempotency keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from hearth.accounts.models import User
from hearth.api.models import ClientApp, IdempotencyKey
from hearth.posts.selectors import public_post_count

IDEMPOTENCY_WINDOW = timedelta(hours=1)
STATS_SECONDS = 600


@dataclass(frozen=True)
class InstanceStats:
    users: int
    statuses: int
    active_month: int


def instance_stats() -> InstanceStats:
    """How many people and public posts the instance has, recounted every 10 minutes.

    Instance-wide numbers, as Mastodon's instance endpoints give them: people
    with an active account, posts anyone may read (as a signed-out visitor
    would: private communities left out), and people who signed in
    during the last 30 days. Nobody's own counts appear here.
    """
    cached = cache.get("hearth:api:instance-stats")
    if isinstance(cached, InstanceStats):
        return cached
    month_ago = timezone.now() - timedelta(days=30)
    stats = InstanceStats(
        users=User.objects.filter(is_active=True).count(),
        statuses=public_post_count(),
        active_month=User.objects.filter(is_active=True, last_login__gte=month_ago).count(),
    )
    cache.set("hearth:api:instance-stats", stats, STATS_SECONDS)
    return stats


def access_token_get(*, raw: str) -> AccessToken | None:
    """The stored token for a bearer string, expired or not; None if unknown or revoked.

    django-oauth-toolkit deletes a revoked access token and looks tokens up
    by the SHA-256 of the raw value; this does the same.
    """
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    token: AccessToken | None = (
        AccessToken.objects.select_related("application", "user")
        .filter(token_checksum=checksum)
        .first()
    )
    return token


def client_app_get(*, application: Application) -> ClientApp | None:
    found: ClientApp | None = ClientApp.objects.filter(application=application).first()
    return found


def idempotent_post_id(*, user_id: int, key: str) -> int | None:
    """The post a status request with this key made within the hour, if any."""
    since = timezone.now() - IDEMPOTENCY_WINDOW
    post_id: int | None = (
        IdempotencyKey.objects.filter(user_id=user_id, key=key, created_at__gte=since)
        .values_list("post_id", flat=True)
        .first()
    )
    return post_id
