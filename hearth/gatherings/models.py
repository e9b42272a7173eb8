from __future__ import annotations

import secrets
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse

from hearth.core.ids import snowflake
from hearth.gatherings.querysets import GatheringQuerySet


def calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Gathering(models.Model):
    """A meetup in person or online, hosted by a person, optionally for a community.

    Times are stored in UTC; `tz` is the host's IANA zone, in which the start
    and end were typed and are shown. A gathering is never deleted by its
    host, only cancelled, so calendars that subscribed can be told
    (STATUS:CANCELLED).
    """

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosted_gatherings"
    )
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gatherings",
    )
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=5000, blank=True)
    tz = models.CharField("time zone", max_length=64)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    online = models.BooleanField(default=False)
    # In person: a public hint ("Kreuzberg, Berlin") and the exact address,
    # which the host may keep for the people going.
    area = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    address_attendees_only = models.BooleanField(default=False)
    # Online: only ever shown to the host and the people going.
    meeting_url = models.CharField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    # iCalendar SEQUENCE: raised on every change so subscribed calendars update.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The start time each reminder was last sent for: a moved gathering is
    # reminded again, an unchanged one never twice.
    reminded_day_for = models.DateTimeField(null=True, blank=True)
    reminded_hour_for = models.DateTimeField(null=True, blank=True)

    objects = GatheringQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="gathering_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="gathering_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="gathering_starts"),
            models.Index(fields=["community", "starts_at"], name="gathering_community"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("gathering", kwargs={"gathering_id": self.pk})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def osm_url(self) -> str:
        """A search link on openstreetmap.org: a link, never an embedded map script."""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})


class Rsvp(models.Model):
    """One person's answer to one gathering. Waitlisted people queue by `position`."""

    class State(models.TextChoices):
        GOING = "going", "Going"
        MAYBE = "maybe", "Maybe"
        CANT = "cant", "Can't go"
        WAITLISTED = "waitlisted", "On the waitlist"

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gathering_rsvps"
    )
    state = models.CharField(max_length=10, choices=State.choices)
    # Order on the waitlist (smaller first); null when not waitlisted.
    position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gathering", "user"], name="rsvp_unique"),
            models.CheckConstraint(
                condition=models.Q(state="waitlisted", position__isnull=False)
                | (~models.Q(state="waitlisted") & models.Q(position__isnull=True)),
                name="rsvp_position_iff_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"], name="rsvp_user_state")]

    def __str__(self) -> str:
        return f"{self.user} {self.state} {self.gathering}"


class CalendarFeed(models.Model):
    """The secret in someone's personal calendar feed URL; resetting it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True
    )
    token = models.CharField(max_length=64, unique=True, default=calendar_token)
    created_at = models.DateTimeField(auto_now=True)


class CommunitySuggestion(models.Model):
    """When a community's moderators were last gently asked to host a gathering."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, primary_key=True
    )
    suggested_at = models.DateTimeField()
