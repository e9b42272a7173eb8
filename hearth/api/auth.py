"""Who is calling, with which scopes, and how often: checked in one place.

Every operation names its scope through `token(...)` (or `public(...)`,
which also lets anonymous callers in); the check of the bearer token, the
scope and the rate limit all happen here, before any parsing of the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.models import AccessToken

from hearth.accounts.models import User
from hearth.api.errors import INVALID_TOKEN, NEEDS_USER, OUTSIDE_SCOPES, ApiError
from hearth.api.ratelimit import client_address, rate_hit
from hearth.api.scopes import parse_scopes, satisfies
from hearth.api.selectors import access_token_get


@dataclass(frozen=True)
class Caller:
    """The verified caller: a person (or None for an app token or nobody) and their grant."""

    user: User | None
    scopes: frozenset[str]
    application_id: int | None = None
    token_id: int | None = None

    def __bool__(self) -> bool:
        # ninja treats a falsy auth result as "not authenticated".
        return True


ANONYMOUS = Caller(user=None, scopes=frozenset())


def token_valid(raw: str) -> AccessToken:
    """The stored token for a bearer string if it still works: known, unexpired, its person active.

    Raises ApiError 401 otherwise. The streaming endpoints (hearth.api.streaming)
    call it too, when a stream opens and again while it stays open.
    """
    stored = access_token_get(raw=raw)
    if stored is None or stored.is_expired():
        raise ApiError(401, INVALID_TOKEN)
    user = stored.user
    if user is not None and not user.is_active:
        raise ApiError(401, INVALID_TOKEN)
    return stored


class TokenAuth(HttpBearer):
    """Bearer token with `scope`; `optional` lets a request without a token through.

    A token that is present but unknown, revoked or expired is refused even
    where anonymous access is allowed, as Mastodon does (401), so a client
    learns its login is gone instead of silently seeing less.
    """

    def __init__(
        self,
        scope: str | None,
        *,
        optional: bool = False,
        user_required: bool = True,
        bucket: str = "api",
    ) -> None:
        super().__init__()
        self.scope = scope
        self.optional = optional
        self.user_required = user_required
        self.bucket = bucket

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get("Authorization", "")
        if not header.strip():
            if not self.optional:
                raise ApiError(401, INVALID_TOKEN)
            rate_hit(request, bucket=self.bucket, caller=f"ip:{client_address(request)}")
            return ANONYMOUS
        scheme, _, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise ApiError(401, INVALID_TOKEN)
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        stored = token_valid(token)
        user = stored.user
        rate_hit(request, bucket=self.bucket, caller=f"token:{stored.pk}")
        granted = frozenset(parse_scopes(stored.scope))
        if self.scope is not None and not satisfies(granted, self.scope):
            raise ApiError(403, OUTSIDE_SCOPES)
        if self.user_required and user is None:
            raise ApiError(422, NEEDS_USER)
        assert user is None or isinstance(user, User)
        return Caller(
            user=user,
            scopes=granted,
            application_id=stored.application_id,
            token_id=stored.pk,
        )


def token(scope: str, *, bucket: str = "api", user_required: bool = True) -> TokenAuth:
    """A person's (or, with user_required=False, an app's) token holding `scope`."""
    return TokenAuth(scope, bucket=bucket, user_required=user_required)


def public(scope: str | None = None, *, bucket: str = "api") -> TokenAuth:
    """Anyone; a token, if sent, must be valid and hold `scope`."""
    return TokenAuth(scope, optional=True, user_required=False, bucket=bucket)


def caller(request: HttpRequest) -> Caller:
    auth: Any = getattr(request, "auth", None)
    return auth if isinstance(auth, Caller) else ANONYMOUS


def me(request: HttpRequest) -> User:
    """The person the token belongs to (the operation was declared with `token`)."""
    user = caller(request).user
    if user is None:
        raise ApiError(422, NEEDS_USER)
    return user


def viewer(request: HttpRequest) -> User | None:
    """The person calling, or None for an app token or nobody."""
    return caller(request).user
