from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hearth.accounts.selectors import signed_in_user
from hearth.core.http import safe_next
from hearth.wellbeing import selectors, services
from hearth.wellbeing.areas import area_for_path, is_never_paused
from hearth.wellbeing.charts import Bar, bar_chart_svg, minutes_text
from hearth.wellbeing.forms import PreferencesForm
from hearth.wellbeing.middleware import BREAK_TEXT

HOUR_LABELS = [f"{h}" for h in range(24)]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The person's own time: last 30 days, hours of the day, where it went. Only they see it."""
    me = signed_in_user(request)
    now = timezone.now()
    prefs = services.preferences_get(user=me)
    today = services.local_today(prefs=prefs, now=now)
    days = selectors.usage_by_day(user=me, today=today)
    hours = selectors.usage_by_hour(user=me, today=today)
    areas = selectors.usage_by_area(user=me, today=today)
    day_rows = [(d, s, minutes_text(s)) for d, s in days]
    days_svg = bar_chart_svg(
        bars=[Bar(f"{d.day}", s / 60, f"{d:%a %-d %b}: {text}") for d, s, text in day_rows],
        title="Your time on Hearth, last 30 days",
        desc=(
            f"One bar per day from {days[0][0]:%-d %b} to {days[-1][0]:%-d %b}, in minutes; "
            f"{minutes_text(sum(s for _, s in days))} in all. The table below has the numbers."
        ),
        chart_id="chart-days",
    )
    hours_svg = bar_chart_svg(
        bars=[
            Bar(HOUR_LABELS[h], s / 60, f"{h:02d}:00 to {h:02d}:59: {minutes_text(s)}")
            for h, s in enumerate(hours)
        ],
        title="When in the day, last 30 days",
        desc=f"One bar per hour of the day in {prefs.time_zone}, minutes summed over 30 days.",
        chart_id="chart-hours",
    )
    total_areas = sum(s for _, s in areas) or 1
    allowance = services.budget_allowance_seconds(prefs=prefs, now=now)
    return render(
        request,
        "wellbeing/dashboard.html",
        {
            "prefs": prefs,
            "today_text": minutes_text(days[-1][1]),
            "allowance_text": minutes_text(allowance) if allowance is not None else "",
            "extended": allowance is not None
            and allowance > (prefs.daily_budget_minutes or 0) * 60,
            "days_svg": mark_safe(days_svg),  # noqa: S308 -- built by bar_chart_svg, every text escaped
            "hours_svg": mark_safe(hours_svg),  # noqa: S308 -- as above
            "day_rows": [r for r in day_rows if r[1]],
            "hour_rows": [(f"{h:02d}:00", minutes_text(s)) for h, s in enumerate(hours) if s],
            "area_rows": [
                (label, minutes_text(s), round(100 * s / total_areas)) for label, s in areas
            ],
            "has_usage": any(s for _, s in days),
            "retention_days": settings.HEARTH_USAGE_RETENTION_DAYS,
        },
    )


@login_required
@require_POST
def heartbeat(request: HttpRequest) -> JsonResponse:
    """An open, visible tab says "still here": extends the current interval.

    Answers whether a break reminder is due and whether the page should
    reload into the budget pause; the page's script acts on both.
    """
    me = signed_in_user(request)
    now = timezone.now()
    path = request.POST.get("path", "")[:200]
    activity = services.activity_record(user=me, now=now, area=area_for_path(path))
    pause = bool(path) and not is_never_paused(path)
    pause = pause and services.budget_reached(prefs=activity.prefs, now=now)
    reminder = (
        BREAK_TEXT.format(minutes=activity.prefs.break_reminder_minutes)
        if activity.break_due
        else ""
    )
    return JsonResponse({"break": reminder, "pause": pause})


@login_required
@require_POST
def more_time(request: HttpRequest) -> HttpResponse:
    """The pause's easy way on: 15 more minutes for today, then back where the person was."""
    services.budget_extend(user=signed_in_user(request), now=timezone.now())
    return redirect(safe_next(request, reverse("home")))


@login_required
@require_POST
def forget_time(request: HttpRequest) -> HttpResponse:
    """Delete all of the person's usage; the dashboard starts again from nothing."""
    services.usage_forget(user=signed_in_user(request))
    messages.success(request, "Your time on Hearth so far is forgotten.")
    return redirect("wellbeing")


@login_required
def settings_wellbeing(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    prefs = services.preferences_get(user=me)
    form = PreferencesForm(
        request.POST or None,
        initial={name: getattr(prefs, name) for name in services.SETTINGS_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=me, **form.cleaned_data)
        messages.success(request, "Your wellbeing settings are saved.")
        return redirect("settings_wellbeing")
    return render(
        request,
        "wellbeing/settings.html",
        {
            "form": form,
            "section": "wellbeing",
            "prefill_zone": prefs.time_zone == "UTC",
            "groups": [
                (
                    "Your time",
                    [
                        "time_zone",
                        "daily_budget_minutes",
                        "break_reminder_minutes",
                        "hide_own_counts",
                    ],
                ),
                (
                    "Quiet hours and notifications",
                    ["quiet_start", "quiet_end", "delivery", "digest_hour", "digest_weekday"],
                ),
                ("Looking back", ["weekly_reflection", "reflection_weekday"]),
            ],
        },
        status=400 if form.errors else 200,
    )
