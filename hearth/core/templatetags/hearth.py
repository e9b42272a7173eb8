from __future__ import annotations

import hashlib

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def initials(name: str) -> str:
    parts = [p for p in str(name).replace("_", " ").split() if p]
    letters = "".join(p[0] for p in parts[:2]) or "?"
    return letters.upper()


@register.filter
def hue(name: str) -> int:
    """A stable hue per name, for the initials avatar of someone without a photo."""
    return int(hashlib.blake2s(str(name).encode(), digest_size=2).hexdigest(), 16) % 360


@register.filter
def ago(value: object) -> str:
    """'5 minutes' style age for recent times, a date for older ones."""
    if value is None:
        return ""
    now = timezone.now()
    delta = now - value  # type: ignore[operator]
    if delta.days >= 7:
        return str(value.strftime("%-d %b %Y"))  # type: ignore[attr-defined]
    if delta.total_seconds() < 60:
        return "just now"
    return timesince(value, now).split(",")[0] + " ago"  # type: ignore[arg-type]


@register.simple_tag(takes_context=True)
def query(context: template.Context, **params: object) -> str:
    """The current query string with `params` replaced (None removes one)."""
    request = context["request"]
    qs = request.GET.copy()
    for key, value in params.items():
        if value is None:
            qs.pop(key, None)
        else:
            qs[key] = str(value)
    encoded: str = qs.urlencode()
    return "?" + encoded if encoded else ""
