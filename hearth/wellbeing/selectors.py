"""Reads for the private dashboard. Only ever called with the signed-in person."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Sum

from hearth.accounts.models import User
from hearth.wellbeing.models import Area, UsageBucket


def usage_by_day(*, user: User, today: date, days: int = 30) -> list[tuple[date, int]]:
    """Seconds per local date for the `days` days ending today, oldest first, zeros included."""
    start = today - timedelta(days=days - 1)
    rows = (
        UsageBucket.objects.filter(user=user, date__gte=start, date__lte=today)
        .values("date")
        .annotate(s=Sum("seconds"))
    )
    by_date = {row["date"]: int(row["s"]) for row in rows}
    return [
        (start + timedelta(days=i), by_date.get(start + timedelta(days=i), 0)) for i in range(days)
    ]


def usage_by_hour(*, user: User, today: date, days: int = 30) -> list[int]:
    """Seconds per local hour of the day (0-23), summed over the last `days` days."""
    start = today - timedelta(days=days - 1)
    rows = (
        UsageBucket.objects.filter(user=user, date__gte=start, date__lte=today)
        .values("hour")
        .annotate(s=Sum("seconds"))
    )
    hours = [0] * 24
    for row in rows:
        hours[row["hour"]] = int(row["s"])
    return hours


def usage_by_area(*, user: User, today: date, days: int = 30) -> list[tuple[str, int]]:
    """(area label, seconds) for every area over the last `days` days, in a fixed order."""
    start = today - timedelta(days=days - 1)
    rows = (
        UsageBucket.objects.filter(user=user, date__gte=start, date__lte=today)
        .values("area")
        .annotate(s=Sum("seconds"))
    )
    by_area = {row["area"]: int(row["s"]) for row in rows}
    return [(area.label, by_area.get(area.value, 0)) for area in Area]
