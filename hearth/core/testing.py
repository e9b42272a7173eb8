"""Helpers for tests that read pages as a person would."""

from __future__ import annotations

from html import unescape

from django.http import HttpResponse


def page_text(response: HttpResponse) -> str:
    """The page's HTML with entities decoded, so typed text can be searched for."""
    return unescape(response.content.decode())


def field_html(html: str, name: str) -> str:
    """The form group (label, help, errors, input) of the field called `name`."""
    for chunk in html.split('<div class="field')[1:]:
        if f'name="{name}"' in chunk:
            return chunk
    raise AssertionError(f"no field {name!r} on the page")
