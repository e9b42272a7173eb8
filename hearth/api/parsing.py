"""Request bodies in the three shapes Mastodon clients send, read in one place.

JSON; form-encoded, where lists are `key[]` and nested objects
`key[field]`; and multipart, the same plus files. Each becomes the same
dict, which the resource's input schema then validates (booleans as
1/0/true/false, numbers as strings, through pydantic's lax mode).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser
from pydantic import BeforeValidator

from hearth.api.errors import ApiError, UnsupportedBody

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
MAX_ID_DIGITS = 20


def _set_path(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        nested = target.setdefault(part, {})
        if not isinstance(nested, dict):
            return
        target = nested
    target[path[-1]] = value


def form_to_dict(data: MultiValueDict[str, Any]) -> dict[str, Any]:
    """`a=1&b[]=2&b[]=3&c[d]=4` as `{"a": "1", "b": ["2", "3"], "c": {"d": "4"}}`."""
    out: dict[str, Any] = {}
    for key in data:
        is_list = key.endswith("[]")
        name = key[:-2] if is_list else key
        path = name.replace("]", "").split("[")
        _set_path(out, path, data.getlist(key) if is_list else data.get(key))
    return out


def form_data(request: HttpRequest) -> tuple[MultiValueDict[str, Any], MultiValueDict[str, Any]]:
    """The form fields and files of a request, whatever its method.

    Django parses form bodies for POST only; Mastodon clients send PATCH
    /api/v1/accounts/update_credentials and PUT /api/v1/media/:id as forms
    too, so those are parsed here the same way.
    """
    if request.method != "POST" and (request.content_type or "").lower() in FORM_TYPES:
        if not hasattr(request, "_post"):
            method = request.method
            request.method = "POST"
            try:
                request._load_post_and_files()
            finally:
                request.method = method
        return request._post, request._files  # type: ignore[attr-defined]
    return request.POST, request.FILES


class MastodonParser(Parser):
    """django-ninja's body parser, taught forms and multipart besides JSON."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = (request.content_type or "").lower()
        if content_type in FORM_TYPES:
            return form_to_dict(form_data(request)[0])
        if content_type in ("application/json", "") or content_type.endswith("+json"):
            data = json.loads(request.body)
            if not isinstance(data, dict):
                raise ValueError("the body must be a JSON object")
            return data
        raise UnsupportedBody(
            f"Send the body as JSON, form-encoded or multipart, not {content_type}"
        )

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in data:
            if key.endswith("[]") or key in list_fields:
                result[key] = data.getlist(key)
            else:
                result[key] = data[key]
        return result


def _to_str(value: Any) -> Any:
    # JSON clients send ids as numbers now and then.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IdStr = Annotated[str, BeforeValidator(_to_str)]


def parse_id(raw: str | int | None) -> int:
    """An id from a path or body; anything that cannot be one is a missing record (404)."""
    text = str(raw) if raw is not None else ""
    if not text.isdigit() or len(text) > MAX_ID_DIGITS or int(text) >= 1 << 63:
        raise ApiError(404, "Record not found")
    return int(text)


def optional_id(raw: str | None) -> int | None:
    """A paging id; junk reads as absent, as in hearth.core.pagination.id_param."""
    if raw is None or not raw.isdigit() or len(raw) > MAX_ID_DIGITS or int(raw) >= 1 << 63:
        return None
    return int(raw)


def query_list(request: HttpRequest, name: str) -> list[str]:
    """A list from the query string, sent as `name[]=` (Mastodon) or `name=` repeated."""
    return [v for v in request.GET.getlist(f"{name}[]") + request.GET.getlist(name) if v]


def truthy(raw: str | bool | None) -> bool:
    if isinstance(raw, bool):
        return raw
    return (raw or "").strip().lower() in {"1", "true", "yes", "on"}
