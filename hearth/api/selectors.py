"""Reads of the client API's own records: tokens, apps, idempotency keys."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from hearth.api.models import ClientApp, IdempotencyKey

IDEMPOTENCY_WINDOW = timedelta(hours=1)


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
