from __future__ import annotations

import hashlib

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
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


@register.simple_tag
def avatar(person: object, size_class: object = "", decorative: object = False) -> SafeString:
    """A person's photo, or their initials on a colour of their own (accounts/_avatar.html).

    A tag rather than an include: post cards show one each, and an include
    per card costs more than the markup it makes.
    """
    size = size_class or ""
    photo = getattr(person, "avatar", None)
    if photo:
        alt = (
            "" if decorative else (getattr(person, "avatar_alt", "") or getattr(person, "name", ""))
        )
        return format_html(
            '<img class="avatar {}" src="{}" alt="{}" width="96" height="96" loading="lazy">',
            size,
            photo.url,
            alt,
        )
    return format_html(
        '<span class="avatar {}" style="background: hsl({} 45% 38%)" aria-hidden="true">{}</span>',
        size,
        hue(getattr(person, "username", "")),
        initials(getattr(person, "name", "")),
    )
