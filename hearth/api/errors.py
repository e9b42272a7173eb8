"""Errors as Mastodon clients expect them: `{"error": "..."}` with the right status.

Every way a request can fail ends in `error_response`, so the shape is the
same whatever raised: a resource (ApiError), an access helper (Http404, so
forbidden and missing look alike), a domain service (PostError,
RelationshipError), django-ninja (validation, a body it cannot parse) or
the token check. A body past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 here and
at the OAuth token and revoke endpoints (`json_errors`), not Django's HTML
400 page or a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hearth.accounts.services import RelationshipError
from hearth.posts.services import PostError

logger = logging.getLogger(__name__)

NOT_FOUND = "Record not found"
INVALID_TOKEN = "The access token is invalid"  # noqa: S105 (a message, not a secret)
OUTSIDE_SCOPES = "This action is outside the authorized scopes"
NEEDS_USER = "This method requires an authenticated user"
BODY_TOO_LARGE = "The request body is too large"
BAD_REQUEST = "The request could not be read"


class ApiError(Exception):
    """Stop here and answer `{"error": message, **extra}` with `status`."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra or {}
        self.headers = headers or {}


class UnsupportedBody(ValueError):
    """The body is in a content type the API does not read (answered with 415)."""


def error_response(status: int, message: str, extra: dict[str, Any] | None = None) -> JsonResponse:
    return JsonResponse({"error": message, **(extra or {})}, status=status)


def suspicious_response(exc: SuspiciousOperation) -> JsonResponse:
    """A body Django refused to read: too large (413), or otherwise malformed (400)."""
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, BODY_TOO_LARGE)
    return error_response(400, BAD_REQUEST)


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views outside django-ninja (OAuth): a refused body answers as the API does."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SuspiciousOperation as exc:
            # Django reads the body lazily, so the size check fires inside the view.
            return suspicious_response(exc)

    return wrapped


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors:
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "form")]
        # ninja names the argument of the view first (`data`, `params`); the
        # client knows only the field.
        if len(location) > 1:
            location = location[1:]
        field = ".".join(location)
        parts.append(f"{field}: {error.get('msg', 'invalid')}" if field else error.get("msg", ""))
    return "Validation failed: " + "; ".join(parts)


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every failure into a Mastodon-shaped error."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = error_response(exc.status, exc.message, exc.extra)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, NOT_FOUND)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # RequestDataTooBig and friends, raised when ninja first reads the body.
        return suspicious_response(exc)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, _validation_message(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, INVALID_TOKEN)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, UnsupportedBody):
            return error_response(415, str(exc.__cause__))
        if isinstance(exc.__cause__, SuspiciousOperation):
            return suspicious_response(exc.__cause__)
        if exc.status_code == 400 and "body" in str(exc).lower():
            return error_response(400, "The request body could not be parsed")
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(PostError)
    def post_error(request: HttpRequest, exc: PostError) -> HttpResponse:
        return error_response(422, f"Validation failed: {exc}")

    @api.exception_handler(RelationshipError)
    def relationship_error(request: HttpRequest, exc: RelationshipError) -> HttpResponse:
        return error_response(403, "This action is not allowed")

    @api.exception_handler(PermissionError)
    def forbidden(request: HttpRequest, exc: PermissionError) -> HttpResponse:
        # An access helper already hid what the caller may not see; what is
        # left is an action on something they can see but not change.
        return error_response(403, "This action is not allowed")

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("client API error on %s %s", request.method, request.path)
        return error_response(500, "Something went wrong on the server")
