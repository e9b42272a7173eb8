from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from hearth.core.ids import snowflake

# A mute or ban "for good" is stored as this far date, so one comparison with
# now answers "is it in force?" for both kinds.
FOR_GOOD = datetime(9999, 12, 31, tzinfo=UTC)
NEWCOMER_PERIOD = timedelta(days=7)


def invite_code() -> str:
    return secrets.token_urlsafe(12)


class Community(models.Model):
    """A place to belong: its own address, norms, members and moderators."""

    class Kind(models.TextChoices):
        INTEREST = "interest", "Interest or hobby"
        SUPPORT = "support", "Support group"
        PROFESSIONAL = "professional", "Professional circle"
        CAUSE = "cause", "Cause"
        LOCAL = "local", "Local"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone may read"
        PRIVATE = "private", "Private: only members read"

    class JoinPolicy(models.TextChoices):
        OPEN = "open", "Open: anyone may join"
        APPROVAL = "approval", "By approval: moderators accept each request"
        INVITE = "invite", "By invite link only"

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    slug = models.SlugField("address", max_length=40)
    name = models.CharField(max_length=80)
    description = models.TextField(max_length=2000)
    who_for = models.TextField("who it is for", max_length=1000)
    # Lower-cased, comma-separated, without "#": searched with a LIKE, shown as chips.
    topics = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INTEREST)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        "who can join", max_length=8, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    join_question = models.CharField(
        "question for people asking to join", max_length=300, blank=True
    )
    invite_code = models.CharField(max_length=32, default=invite_code)
    icon = models.ImageField(upload_to="communities/", blank=True)
    icon_alt = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "communities"
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="community_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]


class Rule(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["community", "position"], name="rule_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """Someone's place in a community: their role, and whether they are in yet.

    A ban keeps the row (so the person cannot simply join again) with
    `banned_until` in the future; a mute lets them read and respond with
    reactions but not post or reply until `muted_until`.
    """

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MODERATOR = "moderator", "Moderator"
        MENTOR = "mentor", "Mentor"
        MEMBER = "member", "Member"

    class State(models.TextChoices):
        PENDING = "pending", "Asked to join"
        ACTIVE = "active", "Member"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    join_answer = models.TextField(max_length=1000, blank=True)
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    # In my home feed, or only on the community page.
    home_feed = models.BooleanField("show its posts in my home feed", default=True)
    muted_until = models.DateTimeField(null=True, blank=True)
    banned_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(role="owner"),
                name="membership_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"], name="membership_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.community}"

    @property
    def is_banned(self) -> bool:
        return self.banned_until is not None and self.banned_until > timezone.now()

    @property
    def is_muted(self) -> bool:
        return self.muted_until is not None and self.muted_until > timezone.now()

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE and not self.is_banned

    @property
    def moderates(self) -> bool:
        return self.is_active and self.role in (self.Role.OWNER, self.Role.MODERATOR)

    @property
    def is_newcomer(self) -> bool:
        """Joined within the last week: the composer reminds them of the norms."""
        return self.joined_at is not None and timezone.now() - self.joined_at < NEWCOMER_PERIOD


class Pin(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="pins")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "post"], name="pin_unique")]


class Report(models.Model):
    """A member telling a community's moderators about a post or reply."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACTED = "acted", "Acted on"
        DISMISSED = "dismissed", "Dismissed"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reports")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(state="open"),
                name="report_open_once",
            )
        ]
        indexes = [models.Index(fields=["community", "state"], name="report_queue")]


class LogEntry(models.Model):
    """One moderator action, as members read it in the community's moderation log."""

    class Action(models.TextChoices):
        REMOVE_POST = "remove_post", "removed a post"
        LOCK_THREAD = "lock_thread", "locked a thread"
        UNLOCK_THREAD = "unlock_thread", "unlocked a thread"
        PIN = "pin", "pinned a post"
        UNPIN = "unpin", "unpinned a post"
        APPROVE = "approve", "approved a request to join"
        DECLINE = "decline", "declined a request to join"
        MUTE = "mute", "muted a member"
        UNMUTE = "unmute", "unmuted a member"
        BAN = "ban", "banned a member"
        UNBAN = "unban", "lifted a ban"
        APPOINT = "appoint", "changed a member's role"
        TRANSFER = "transfer", "handed over ownership"
        DISMISS_REPORT = "dismiss_report", "dismissed a report"
        EDIT_RULES = "edit_rules", "changed the rules"
        EDIT_SETTINGS = "edit_settings", "changed the community's settings"
        RESET_INVITE = "reset_invite", "made a new invite link"

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["community", "-id"], name="logentry_community")]

    @property
    def for_good(self) -> bool:
        return self.until is not None and self.until.year == FOR_GOOD.year


class MentorRequest(models.Model):
    """A member asking for a mentor in a community; one of its mentors takes it on."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for a mentor"
        ACTIVE = "active", "Mentoring"
        ENDED = "ended", "Ended"
        WITHDRAWN = "withdrawn", "Withdrawn"

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="mentor_requests"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_requests"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentoring",
    )
    topic = models.CharField(max_length=120)
    hopes = models.TextField("what you hope for", max_length=1000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "mentee"],
                condition=models.Q(state__in=["open", "active"]),
                name="mentor_request_one_open",
            )
        ]
