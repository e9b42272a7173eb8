"""OAuth 2 for Mastodon clients, on django-oauth-toolkit.

- /oauth/authorize: Hearth's own consent page (base.html). With the
  redirect URI `urn:ietf:wg:oauth:2.0:oob` the code is shown to copy, as
  on Mastodon; otherwise the browser goes back to the app. A client id or
  redirect URI that does not match is never redirected to: the person sees
  an error page (RFC 6749 section 4.1.2.1).
- /oauth/token: authorization_code (PKCE checked when a challenge was sent,
  and only S256 is accepted), client_credentials, refresh_token, and
  password only with HEARTH_OAUTH_PASSWORD_GRANT=1. Bodies may be
  form-encoded (the standard) or JSON, which some Mastodon clients send.
- /oauth/revoke: RFC 7009, with the app's credentials.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.models import Application
from oauth2_provider.oauth2_backends import OAuthLibCore, get_oauthlib_core
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes

from hearth.api.errors import ApiError, error_response, json_errors
from hearth.api.ratelimit import add_headers, client_address, rate_hit
from hearth.api.scopes import expand, known_scopes, parse_scopes
from hearth.api.selectors import client_app_get

OOB = "urn:ietf:wg:oauth:2.0:oob"
# Redirect URIs an app may register: any scheme (mobile apps use their
# own, like `tusky://oauth`) except those that run code in a browser.
UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob", "about"})
CREDENTIAL_KEYS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def redirect_uri_valid(uri: str) -> bool:
    """An absolute URI with a safe scheme and no fragment, or the out-of-band marker."""
    if uri == OOB:
        return True
    parts = urlsplit(uri)
    if not parts.scheme or parts.scheme.lower() in UNSAFE_SCHEMES or "#" in uri:
        return False
    return bool(parts.netloc) or parts.scheme.lower() not in ("http", "https")


class AppScopes(SettingsScopes):  # type: ignore[misc]
    """The scopes an app may be granted: those it registered, granular ones included."""

    def get_available_scopes(
        self, application: Application | None = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        profile = client_app_get(application=application) if application is not None else None
        registered = parse_scopes(profile.scopes) if profile is not None else ["read"]
        return sorted(expand(registered) & known_scopes())

    def get_default_scopes(
        self, application: Application | None = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        available = self.get_available_scopes(application, request)
        return ["read"] if "read" in available else available[:1]


class HearthValidator(OAuth2Validator):  # type: ignore[misc]
    """Every Mastodon app may use every grant; the password grant only when switched on."""

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if grant_type == "password":
            return bool(settings.HEARTH_OAUTH_PASSWORD_GRANT)
        return grant_type in {"authorization_code", "client_credentials", "refresh_token"}


class MastodonOAuthLibCore(OAuthLibCore):  # type: ignore[misc]
    """Reads token requests sent as JSON as well as form-encoded (toot sends JSON)."""

    def extract_body(self, request: HttpRequest) -> Iterable[tuple[str, str]]:
        if (request.content_type or "").lower() == "application/json":
            try:
                data = json.loads(request.body)
            except ValueError:
                return []
            if not isinstance(data, dict):
                return []
            return [
                (str(k), " ".join(map(str, v)) if isinstance(v, list) else str(v))
                for k, v in data.items()
                if v is not None
            ]
        body: Iterable[tuple[str, str]] = super().extract_body(request)
        return body


def _core() -> OAuthLibCore:
    return get_oauthlib_core()


def _problem(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "api/authorize_error.html", {"message": message}, status=400)


def _redirect(uri: str) -> HttpResponse:
    # Django's HttpResponseRedirect allows http, https and ftp only; apps
    # register their own schemes, checked against UNSAFE_SCHEMES at
    # registration and matched exactly by django-oauth-toolkit here.
    if urlsplit(uri).scheme.lower() in UNSAFE_SCHEMES:
        raise ApiError(400, "Unsafe redirect URI")
    response = HttpResponse(status=302)
    response["Location"] = uri
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """The consent page: who is asking, for what, and Allow / Don't allow."""
    method = request.GET.get("code_challenge_method", "")
    if request.GET.get("code_challenge") and method != "S256":
        return _problem(
            request, "This app asked to sign in in a way that is not safe (PKCE S256 is required)."
        )
    core = _core()
    try:
        scopes, credentials = core.validate_authorization_request(request)
    except FatalClientError:
        return _problem(
            request,
            "The app is unknown here, or its return address does not match the one it registered.",
        )
    except OAuthToolkitError as exc:
        redirect_uri = exc.oauthlib_error.redirect_uri
        if redirect_uri and redirect_uri != OOB:
            return _redirect(exc.oauthlib_error.in_uri(redirect_uri))
        return _problem(
            request, f"The app's request could not be accepted ({exc.oauthlib_error.error})."
        )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = Application.objects.get(client_id=credentials["client_id"])
    profile = client_app_get(application=application)
    if request.method == "POST":
        allow = request.POST.get("decision") == "allow"
        kept = {k: credentials[k] for k in CREDENTIAL_KEYS if credentials.get(k)}
        try:
            uri, _headers, _body, _status = core.create_authorization_response(
                request, scopes, kept, allow
            )
        except OAuthToolkitError as exc:
            redirect_uri = exc.oauthlib_error.redirect_uri or credentials.get("redirect_uri")
            if redirect_uri and redirect_uri != OOB:
                return _redirect(exc.oauthlib_error.in_uri(redirect_uri))
            return _problem(request, "You did not allow the app. Nothing was shared with it.")
        if credentials.get("redirect_uri") == OOB:
            code = parse_qs(urlsplit(uri).query).get("code", [""])[0]
            return render(
                request, "api/authorize_code.html", {"code": code, "app_name": application.name}
            )
        return _redirect(uri)
    descriptions = settings.OAUTH2_PROVIDER["SCOPES"]
    return render(
        request,
        "api/authorize.html",
        {
            "app_name": application.name,
            "website": profile.website if profile is not None else "",
            "scope_descriptions": [descriptions.get(s, s) for s in scopes],
        },
    )


@csrf_exempt
@require_POST
@json_errors
def token(request: HttpRequest) -> HttpResponse:
    """Issue a token. Errors are RFC 6749's `{"error": ..., "error_description": ...}`."""
    try:
        rate_hit(request, bucket="apps", caller=f"token:{client_address(request)}")
    except ApiError as exc:
        refused = error_response(exc.status, exc.message)
        for name, value in exc.headers.items():
            refused[name] = value
        return refused
    _uri, headers, body, status = _core().create_token_response(request)
    if status == 200:
        data = json.loads(body)
        # Mastodon adds when the token was made; some clients show it.
        data.setdefault("created_at", int(timezone.now().timestamp()))
        response: HttpResponse = JsonResponse(data, status=200)
    else:
        response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in headers.items():
        if name.lower() != "content-type":
            response[name] = value
    return add_headers(request, response)


@csrf_exempt
@require_POST
@json_errors
def revoke(request: HttpRequest) -> HttpResponse:
    """Revoke a token the requesting app holds; `{}` as Mastodon answers."""
    _uri, _headers, body, status = _core().create_revocation_response(request)
    if status == 200:
        return JsonResponse({})
    return HttpResponse(
        body or json.dumps({"error": "unauthorized_client"}),
        status=status,
        content_type="application/json",
    )
