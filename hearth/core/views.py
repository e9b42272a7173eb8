from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "core/landing.html")


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers, and the trivial baseline page of bench/."""
    return HttpResponse("ok", content_type="text/plain")
