"""The client API at /api/ and OAuth at /oauth/.

Mastodon clients add trailing slashes here and there (toot asks for
/oauth/authorize/), so every path answers with and without one. Every
API answer carries the X-RateLimit-* headers of the request's bucket.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from hearth.api import oauth
from hearth.api.ratelimit import add_headers
from hearth.api.root import api

View = Callable[..., HttpResponse]


def _with_rate_headers(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return add_headers(request, view(request, *args, **kwargs))

    return wrapped


def _api_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    out: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            out.append(pattern)
            continue
        route = str(pattern.pattern)
        view = _with_rate_headers(pattern.callback)
        out.append(path(route, view, name=pattern.name))
        if route and not route.endswith("/"):
            out.append(path(f"{route}/", view))
    return out


urlpatterns: list[URLPattern | URLResolver] = [
    path("oauth/authorize", oauth.authorize, name="oauth_authorize"),
    path("oauth/authorize/", oauth.authorize),
    path("oauth/token", oauth.token, name="oauth_token"),
    path("oauth/token/", oauth.token),
    path("oauth/revoke", oauth.revoke, name="oauth_revoke"),
    path("oauth/revoke/", oauth.revoke),
    path("api/", include((_api_patterns(), "api"), namespace="api")),
]
