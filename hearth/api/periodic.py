"""The client API's housekeeping, run by every `hearth worker` (and `hearth demo`).

Hourly: expired and revoked OAuth tokens and authorization codes go
(django-oauth-toolkit's clear_expired, which keeps revoked refresh tokens
as long as reuse detection needs them), and so do Idempotency-Keys older
than the hour Mastodon honours them for, for people who stopped posting
(a person's own old keys also go whenever they post).
"""

from __future__ import annotations

import logging
import threading

from django.utils import timezone
from oauth2_provider.models import clear_expired

from hearth.api.models import IdempotencyKey
from hearth.api.selectors import IDEMPOTENCY_WINDOW
from hearth.core import worker as core_worker

logger = logging.getLogger(__name__)

TICK_SECONDS = 3600.0


def api_tick() -> int:
    """Clear expired tokens and codes; returns the Idempotency-Keys deleted."""
    clear_expired()
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW
    ).delete()
    return deleted


def start_periodic_thread(*, every: float = TICK_SECONDS) -> threading.Thread:
    """Run api_tick every `every` seconds in a daemon thread."""
    return core_worker.start_periodic_thread("hearth-api-housekeeping", api_tick, every=every)
