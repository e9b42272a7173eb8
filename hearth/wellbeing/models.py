"""Coarse usage per person and the person's own wellbeing preferences.

Usage is kept as seconds per (person, local date, local hour, area): enough
for a private dashboard and a daily budget, too coarse to reconstruct what
anyone read. Nothing here is ever shown to anyone but the person.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

BUDGET_MIN, BUDGET_MAX = 5, 1440
BREAK_MIN, BREAK_MAX = 5, 240


class Area(models.TextChoices):
    FEED = "feed", "Feed and profiles"
    CONVERSATIONS = "conversations", "Conversations"
    COMMUNITIES = "communities", "Communities"
    SUPPORT = "support", "Support"
    OTHER = "other", "Everything else"


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            "%(value)s is not a time zone we know. Pick one from the list, e.g. Europe/Berlin.",
            params={"value": value},
        ) from exc


class Delivery(models.TextChoices):
    LIVE = "live", "As they happen"
    DAILY = "daily", "One daily summary"
    WEEKLY = "weekly", "One weekly summary"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Preferences(models.Model):
    """One person's wellbeing settings, plus the small cursor usage accounting needs.

    The cursor fields (last_seen ...) are written only by services with
    update_fields, so saving the settings form never clobbers them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="wellbeing_preferences",
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    daily_budget_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(BUDGET_MIN), MaxValueValidator(BUDGET_MAX)],
    )
    break_reminder_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(BREAK_MIN), MaxValueValidator(BREAK_MAX)],
    )
    hide_own_counts = models.BooleanField(default=False)
    # Quiet hours, in the person's time zone; may span midnight (22:00-07:00).
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    # Notifications as they happen, or held for one summary a day or a week.
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.LIVE)
    digest_hour = models.PositiveSmallIntegerField(default=18, validators=[MaxValueValidator(23)])
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.SUNDAY
    )
    # The weekly reflection: opt-in, ready on reflection_weekday.
    weekly_reflection = models.BooleanField(default=False)
    reflection_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.SUNDAY
    )
    # The local date of the reflection the person last opened.
    reflection_seen_on = models.DateField(null=True, blank=True)

    # Accounting cursor: when the person was last active, where, and since
    # when without a gap longer than the idle cap.
    last_seen = models.DateTimeField(null=True, blank=True)
    last_area = models.CharField(max_length=16, choices=Area.choices, default=Area.OTHER)
    streak_start = models.DateTimeField(null=True, blank=True)
    break_reminded = models.BooleanField(default=False)
    # "15 more minutes": seconds added to today's budget, for extra_date only.
    extra_date = models.DateField(null=True, blank=True)
    extra_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"wellbeing preferences of user {self.user_id}"

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class UsageBucket(models.Model):
    """Active seconds of one person in one local hour, in one area."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usage_buckets"
    )
    date = models.DateField()
    hour = models.PositiveSmallIntegerField(validators=[MaxValueValidator(23)])
    area = models.CharField(max_length=16, choices=Area.choices)
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date", "hour", "area"], name="wellbeing_bucket_unique"
            ),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="wellbeing_bucket_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date} {self.hour}h {self.area}: {self.seconds}s"
