"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials.

https://docs.joinmastodon.org/methods/apps/
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from oauth2_provider.models import Application
from pydantic import Field, field_validator

from hearth.api.auth import caller, public
from hearth.api.errors import ApiError
from hearth.api.oauth import redirect_uri_valid
from hearth.api.schemas import AppOut
from hearth.api.scopes import known_scopes, parse_scopes
from hearth.api.selectors import client_app_get
from hearth.api.services import app_register

router = Router(tags=["apps"])


class AppIn(Schema):
    client_name: str = Field(min_length=1, max_length=255)
    # Mastodon takes one URI, several separated by newlines or spaces, or a list.
    redirect_uris: str | list[str]
    scopes: str | list[str] = "read"
    website: str = Field(default="", max_length=500)

    @field_validator("client_name")
    @classmethod
    def name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("can't be blank")
        return value.strip()


def _render(application: Application, secret: str | None) -> AppOut:
    profile = client_app_get(application=application)
    uris = application.redirect_uris.split()
    return AppOut(
        id=str(application.pk),
        name=application.name,
        website=(profile.website or None) if profile is not None else None,
        scopes=parse_scopes(profile.scopes) if profile is not None else ["read"],
        redirect_uri="\n".join(uris),
        redirect_uris=uris,
        vapid_key="",
        client_id=application.client_id if secret is not None else None,
        client_secret=secret,
        client_secret_expires_at=0 if secret is not None else None,
    )


@router.post("/v1/apps", auth=public(bucket="apps"), response=AppOut)
def app_create(request: HttpRequest, data: AppIn) -> AppOut:
    raw_uris = data.redirect_uris
    uris = raw_uris.split() if isinstance(raw_uris, str) else [u.strip() for u in raw_uris]
    uris = [u for u in uris if u]
    if not uris or not all(redirect_uri_valid(u) for u in uris):
        raise ApiError(422, "Validation failed: Redirect URI must be an absolute URI.")
    scopes = parse_scopes(data.scopes) or ["read"]
    unknown = [s for s in scopes if s not in known_scopes()]
    if unknown:
        raise ApiError(422, f"Validation failed: Scopes {' '.join(unknown)} are not known here.")
    if data.website and not data.website.startswith(("https://", "http://")):
        raise ApiError(422, "Validation failed: Website must be an http(s) URL.")
    registered = app_register(
        name=data.client_name, redirect_uris=uris, scopes=scopes, website=data.website
    )
    return _render(registered.application, registered.client_secret)


@router.get("/v1/apps/verify_credentials", auth=public(), response=AppOut)
def app_verify(request: HttpRequest) -> AppOut:
    """The app a token belongs to (user or client-credentials token)."""
    who = caller(request)
    if who.application_id is None:
        raise ApiError(401, "The access token is invalid")
    application = Application.objects.get(pk=who.application_id)
    return _render(application, None)
