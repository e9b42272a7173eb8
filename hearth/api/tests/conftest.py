"""Fixtures for the client API: apps, tokens and clients that send them."""

from __future__ import annotations

import io
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from PIL import Image

from hearth.accounts.models import User
from hearth.api.services import app_register
from hearth.conftest import CommittingClient
from hearth.core import live

# granian serving what `hearth demo` serves, in this process (test_clients.py streams from it).
from hearth.messaging.tests.conftest import asgi_server  # noqa: F401

# The longest a streaming step may take on a loaded machine before a test gives up waiting.
SLOW_MACHINE = 15.0


def wait_for_channel_change(listened: set[str], stop: Callable[[], bool] = lambda: False) -> None:
    """Block until the channels someone listens to differ from `listened` (a stream
    has subscribed or unsubscribed), `stop()` is true, or SLOW_MACHINE seconds pass."""
    deadline = time.monotonic() + SLOW_MACHINE
    while live.channels_listened() == listened and not stop() and time.monotonic() < deadline:
        time.sleep(0.05)


ALL_SCOPES = "read write follow push"


@pytest.fixture(autouse=True)
def _own_rate_limits(settings: Any) -> None:
    """Each test counts its requests afresh, whatever the cache (Redis is shared)."""
    settings.HEARTH_API_RATE_NAMESPACE = f"test-{uuid.uuid4().hex}"


@pytest.fixture
def asgi_streams() -> Iterator[list[Any]]:
    """asgi_server serves the streaming API too, as `hearth demo` does."""
    from hearth.api.streaming.connection import pool_shutdown
    from hearth.config.asgi import STREAMS

    yield list(STREAMS)
    pool_shutdown()


def issue_token(
    user: User | None, scopes: str = ALL_SCOPES, *, expires_in: timedelta = timedelta(days=1)
) -> str:
    """A bearer token for `user` (None: an app token), as the token endpoint would make."""
    app = app_register(
        name="Test app", redirect_uris=["urn:ietf:wg:oauth:2.0:oob"], scopes=scopes.split()
    ).application
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=user,
        application=app,
        token=raw,
        expires=timezone.now() + expires_in,
        scope=scopes,
    )
    return raw


class ApiClient(CommittingClient):
    """A test client sending a bearer token; JSON bodies by default."""

    def __init__(self, token: str | None = None, **defaults: Any) -> None:
        if token is not None:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(**defaults)

    def post_json(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.post(path, data or {}, content_type="application/json", **extra)

    def put_json(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.put(path, data or {}, content_type="application/json", **extra)


@pytest.fixture
def api_for() -> Callable[..., ApiClient]:
    """api_for(user, scopes=...) -> a client with a fresh token; api_for(None) -> anonymous."""

    def make(user: User | None, scopes: str = ALL_SCOPES) -> ApiClient:
        if user is None:
            return ApiClient()
        return ApiClient(issue_token(user, scopes))

    return make


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 60)).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (60, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()
