"""Counts signed-in page views as coarse active time, and pauses at the person's budget."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hearth.accounts.models import User
from hearth.wellbeing import services
from hearth.wellbeing.areas import area_for_path, is_never_paused, is_tracked_path

BREAK_TEXT = "You have been here {minutes} minutes in a row. A short break might feel good."


class WellbeingMiddleware:
    """For signed-in full-page GETs: record activity, remind of a break, pause at the budget.

    htmx partials, the API, /live and assets are neither counted nor paused:
    they are not someone opening a page, and a partial cannot show a pause.
    Must come after AuthenticationMiddleware and MessageMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            request.method != "GET"
            or not isinstance(user, User)
            or request.headers.get("HX-Request")
            or not is_tracked_path(path)
        ):
            return self.get_response(request)
        now = timezone.now()
        activity = services.activity_record(user=user, now=now, area=area_for_path(path))
        request.wellbeing_prefs = activity.prefs  # type: ignore[attr-defined]
        if activity.break_due:
            messages.info(request, BREAK_TEXT.format(minutes=activity.prefs.break_reminder_minutes))
        if not is_never_paused(path) and services.budget_reached(prefs=activity.prefs, now=now):
            response = render(
                request,
                "wellbeing/pause.html",
                {
                    "next": request.get_full_path(),
                    "budget_minutes": activity.prefs.daily_budget_minutes,
                    "more_minutes": services.MORE_SECONDS // 60,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
