"""OAuth contract: app registration, consent, code exchange, PKCE, grants, revocation."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Application

from hearth.accounts.tests.factories import PASSWORD, UserFactory
from hearth.api.models import ClientApp
from hearth.api.tests.conftest import ApiClient, issue_token

pytestmark = pytest.mark.django_db

CALLBACK = "https://app.example/callback"


def register(client: Any = None, **overrides: Any) -> dict[str, Any]:
    data = {
        "client_name": "Test app",
        "redirect_uris": CALLBACK,
        "scopes": "read write follow",
        "website": "https://app.example",
        **overrides,
    }
    response = (client or ApiClient()).post("/api/v1/apps", data)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def authorize(user: Any, app: dict[str, Any], **params: str) -> Any:
    browser = Client()
    browser.force_login(user)
    query = urlencode(
        {
            "client_id": app["client_id"],
            "redirect_uri": CALLBACK,
            "response_type": "code",
            "scope": "read write",
            **params,
        }
    )
    page = browser.get(f"/oauth/authorize?{query}")
    if page.status_code != 200:
        return page
    return browser.post(f"/oauth/authorize?{query}", {"decision": "allow"})


def code_of(answer: Any) -> str:
    assert answer.status_code == 302, answer.content[:300]
    return str(parse_qs(urlsplit(answer["Location"]).query)["code"][0])


def exchange(app: dict[str, Any], code: str, **extra: str) -> Any:
    return Client().post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "code": code,
            "redirect_uri": CALLBACK,
            **extra,
        },
    )


def test_app_registration_answers_mastodon_fields_in_form_and_json() -> None:
    app = register()
    assert set(app) >= {"id", "name", "client_id", "client_secret", "redirect_uri", "scopes"}
    assert app["scopes"] == ["read", "write", "follow"]
    response = ApiClient().post_json(
        "/api/v1/apps/",
        {"client_name": "JSON app", "redirect_uris": [CALLBACK, "urn:ietf:wg:oauth:2.0:oob"]},
    )
    assert response.status_code == 200
    assert response.json()["redirect_uris"] == [CALLBACK, "urn:ietf:wg:oauth:2.0:oob"]


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"redirect_uris": "javascript:alert(1)"}, 422),
        ({"redirect_uris": "not a uri"}, 422),
        ({"scopes": "read admin:everything"}, 422),
        ({"client_name": ""}, 422),
    ],
)
def test_app_registration_refuses_bad_input_and_creates_nothing(overrides, status) -> None:
    data = {"client_name": "x", "redirect_uris": CALLBACK, **overrides}
    response = ApiClient().post("/api/v1/apps", data)
    assert response.status_code == status
    assert "error" in response.json()
    assert not Application.objects.exists()


def test_authorization_code_flow_with_pkce() -> None:
    user = UserFactory()
    app = register()
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    code = code_of(
        authorize(user, app, code_challenge=challenge, code_challenge_method="S256", state="xyz")
    )
    assert exchange(app, code, code_verifier="w" * 64).status_code == 400
    # A failed exchange spends nothing but the attempt: the right verifier still works.
    code = code_of(authorize(user, app, code_challenge=challenge, code_challenge_method="S256"))
    token = exchange(app, code, code_verifier=verifier)
    assert token.status_code == 200, token.content
    body = token.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert "created_at" in body
    me = ApiClient(body["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert me.json()["username"] == user.username


def test_plain_pkce_is_refused() -> None:
    response = authorize(
        UserFactory(), register(), code_challenge="abc", code_challenge_method="plain"
    )
    assert response.status_code == 400
    assert b"PKCE" in response.content


def test_consent_page_uses_the_site_layout_and_logged_out_people_log_in_first() -> None:
    app = register()
    query = urlencode(
        {"client_id": app["client_id"], "redirect_uri": CALLBACK, "response_type": "code"}
    )
    anonymous = Client().get(f"/oauth/authorize?{query}")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login?next=")
    browser = Client()
    browser.force_login(UserFactory())
    page = browser.get(f"/oauth/authorize/?{query}")
    assert page.status_code == 200
    assert b"skip-link" in page.content  # base.html
    assert b"Test app" in page.content


def test_denying_sends_access_denied_back_to_the_app() -> None:
    browser = Client()
    browser.force_login(UserFactory())
    app = register()
    query = urlencode(
        {"client_id": app["client_id"], "redirect_uri": CALLBACK, "response_type": "code"}
    )
    answer = browser.post(f"/oauth/authorize?{query}", {"decision": "deny"})
    assert answer.status_code == 302
    assert "error=access_denied" in answer["Location"]
    assert not AccessToken.objects.exists()


def test_out_of_band_shows_the_code() -> None:
    user = UserFactory()
    app = register(redirect_uris="urn:ietf:wg:oauth:2.0:oob")
    browser = Client()
    browser.force_login(user)
    query = urlencode(
        {
            "client_id": app["client_id"],
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "response_type": "code",
            "scope": "read",
        }
    )
    page = browser.post(f"/oauth/authorize?{query}", {"decision": "allow"})
    assert page.status_code == 200
    assert b'id="authorization-code"' in page.content


def test_mismatched_redirect_uri_is_never_followed() -> None:
    response = authorize(UserFactory(), register(), redirect_uri="https://evil.example/steal")
    assert response.status_code == 400
    assert b"return address" in response.content


def test_a_code_works_once_and_only_with_its_redirect_uri() -> None:
    user = UserFactory()
    app = register()
    code = code_of(authorize(user, app))
    wrong = exchange(app, code, redirect_uri="https://app.example/other")
    assert wrong.status_code in (400, 401)
    code = code_of(authorize(user, app))
    assert exchange(app, code).status_code == 200
    replay = exchange(app, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_client_credentials_gives_an_app_token() -> None:
    app = register()
    response = Client().post(
        "/oauth/token",
        json.dumps(
            {
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "scope": "read",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    client = ApiClient(token)
    assert client.get("/api/v1/apps/verify_credentials").json()["name"] == "Test app"
    assert client.get("/api/v1/accounts/verify_credentials").status_code == 422
    assert client.get("/api/v1/timelines/public").status_code == 200


def test_password_grant_is_off_by_default(settings: Any) -> None:
    user = UserFactory()
    app = register()
    data = {
        "grant_type": "password",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "username": user.email,
        "password": PASSWORD,
        "scope": "read",
    }
    assert Client().post("/oauth/token", data).status_code in (400, 401)
    settings.HEARTH_OAUTH_PASSWORD_GRANT = True
    assert Client().post("/oauth/token", data).status_code == 200
    assert Client().post("/oauth/token", {**data, "password": "wrong"}).status_code in (400, 401)


def test_scopes_beyond_the_apps_registration_are_refused() -> None:
    app = register(scopes="read")
    response = authorize(UserFactory(), app, scope="read write")
    assert response.status_code == 302
    assert "error=invalid_scope" in response["Location"]


def test_revoked_and_expired_tokens_are_401() -> None:
    user = UserFactory()
    app = register()
    code = code_of(authorize(user, app))
    token = exchange(app, code).json()["access_token"]
    client = ApiClient(token)
    assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
    revoked = Client().post(
        "/oauth/revoke",
        {"client_id": app["client_id"], "client_secret": app["client_secret"], "token": token},
    )
    assert revoked.status_code == 200
    assert revoked.json() == {}
    gone = client.get("/api/v1/accounts/verify_credentials")
    assert gone.status_code == 401
    assert gone.json() == {"error": "The access token is invalid"}
    from datetime import timedelta

    old = ApiClient(issue_token(user, expires_in=timedelta(seconds=-1)))
    assert old.get("/api/v1/timelines/home").status_code == 401
    # Even where no token is needed, a bad one is refused rather than ignored.
    assert ApiClient("nonsense").get("/api/v1/timelines/public").status_code == 401


def test_registered_app_scopes_are_kept() -> None:
    app = register(scopes="read:statuses write:media")
    profile = ClientApp.objects.get(application__client_id=app["client_id"])
    assert profile.scopes == "read:statuses write:media"
