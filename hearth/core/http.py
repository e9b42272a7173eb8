"""Small helpers every interface uses: safe redirects back, htmx partial swaps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` URL from the form or query if it stays on this site, else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def back_or_partial(
    request: HttpRequest, *, fallback: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """After an action: htmx gets the re-rendered partial, everyone else a redirect back."""
    if is_htmx(request):
        return render(request, partial, context)
    return HttpResponseRedirect(safe_next(request, fallback))
