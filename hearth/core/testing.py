"""Helpers for tests that read pages as a person would."""

from __future__ import annotations

from html import unescape

from django.http.response import HttpResponseBase
from django.test import Client


def page_text(response: HttpResponseBase) -> str:
    """The page's HTML with entities decoded, so typed text can be searched for."""
    return unescape(response.content.decode())  # type: ignore[attr-defined]


def page_ok(client: Client, url: str) -> str:
    """GET `url`, insist on 200, and return the text a person would read."""
    response = client.get(url)
    assert response.status_code == 200, url
    return page_text(response)


def field_html(html: str, name: str) -> str:
    """The form group (label, help, errors, input) of the field called `name`."""
    for chunk in html.split('<div class="field')[1:]:
        if f'name="{name}"' in chunk:
            return chunk
    raise AssertionError(f"no field {name!r} on the page")
