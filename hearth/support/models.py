"""Support in hard times: requests, supporters and their routes, check-ins, crisis
resources and "worried about someone" (docs/support.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.core.ids import snowflake

MAX_CAPACITY = 20
ROUTE_TO = 3


def in_scope(community_id: int | None) -> Q:
    """Rows of one scope: a community's, or (None) all of Hearth's."""
    return Q(community__isnull=True) if community_id is None else Q(community_id=community_id)


class SupportKind(models.TextChoices):
    LISTENING = "listening", "Someone to listen"
    ADVICE = "advice", "Advice"
    PRACTICAL = "practical", "Practical help"
    COMPANY = "company", "Company"


class Topic(models.TextChoices):
    # "anything" is a supporter's choice only: they will hear about any topic.
    ANYTHING = "anything", "Anything at all"
    GRIEF = "grief", "Grief and loss"
    LONELINESS = "loneliness", "Loneliness"
    ANXIETY = "anxiety", "Anxiety and stress"
    LOW_MOOD = "low_mood", "Low mood"
    RELATIONSHIPS = "relationships", "Relationships and family"
    HEALTH = "health", "Illness and health"
    WORK_MONEY = "work_money", "Work and money"
    IDENTITY = "identity", "Identity and belonging"
    PARENTING = "parenting", "Parenting and caring"
    OTHER = "other", "Something else"


REQUEST_TOPICS = [c for c in Topic.choices if c[0] != Topic.ANYTHING]


class SupportAudience(models.TextChoices):
    FOLLOWERS = "followers", "My followers"
    CIRCLE = "circle", "My close circle"
    COMMUNITY = "community", "A community I belong to"
    SUPPORTERS = "supporters", "Only supporters Hearth asks"


class Supporter(models.Model):
    """Someone who offered to support others: for all of Hearth, or for one community."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_roles"
    )
    # None: for all of Hearth; else only that community's requests.
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Comma-wrapped topic values (",grief,anxiety,") so one LIKE matches a topic.
    topics = models.CharField(max_length=300)
    weekly_capacity = models.PositiveSmallIntegerField(default=2)
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(community__isnull=True), name="supporter_one_global"
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="supporter_one_per_community",
            ),
            models.CheckConstraint(
                condition=Q(weekly_capacity__gte=1, weekly_capacity__lte=MAX_CAPACITY),
                name="supporter_capacity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} supporter ({self.community_id or 'all'})"

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [labels.get(t, t) for t in self.topic_list]


class SupportRequest(models.Model):
    """A request for support: a Post (tone "support") and what kind of help it asks for.

    Its primary key is the post's id, so grants over posts can name requests
    directly.
    """

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    post = models.OneToOneField(
        "posts.Post", primary_key=True, on_delete=models.CASCADE, related_name="support_request"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests"
    )
    kind = models.CharField(max_length=12, choices=SupportKind.choices)
    topic = models.CharField(max_length=20, choices=REQUEST_TOPICS)
    audience = models.CharField(max_length=12, choices=SupportAudience.choices)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Whether opted-in supporters are asked too (always, for "only supporters").
    ask_supporters = models.BooleanField(default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The gentle "how are you doing?": when, whether it was sent, the answer.
    checkin_at = models.DateTimeField(null=True, blank=True)
    checkin_sent_at = models.DateTimeField(null=True, blank=True)
    checkin_answered_at = models.DateTimeField(null=True, blank=True)
    checkin_answer = models.TextField(max_length=2000, blank=True)
    # Set when the answer was shared as an update (a reply under the request).
    checkin_update = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["asker", "-created_at"], name="supportreq_asker"),
            models.Index(
                fields=["checkin_at"],
                condition=Q(checkin_sent_at__isnull=True, checkin_at__isnull=False),
                name="supportreq_checkin_due",
            ),
            models.Index(fields=["created_at"], condition=Q(state="open"), name="supportreq_open"),
        ]

    def __str__(self) -> str:
        return f"support request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Route(models.Model):
    """One request handed to one supporter. Never handed to the same person twice."""

    class State(models.TextChoices):
        ROUTED = "routed", "Routed"
        # The supporter passed, left, paused, or stopped being eligible.
        RELEASED = "released", "Released"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="routes")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_routes"
    )
    # The scope it was routed under (None: all of Hearth), for the weekly load.
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.ROUTED)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "supporter"], name="route_once"),
        ]
        indexes = [
            models.Index(fields=["supporter", "state", "created_at"], name="route_supporter"),
        ]


class CareSettings(models.Model):
    """Per person: whether "worried about you" messages may reach them, and when one last did.

    The row is also the lock that keeps it to one a week: senders lock it
    (SELECT ... FOR UPDATE) before deciding.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    worried_messages = models.BooleanField(
        "let people who are worried about me send me a caring message", default=True
    )
    last_worried_at = models.DateTimeField(null=True, blank=True)


class WorriedRequest(models.Model):
    """Someone asked Hearth to show a post's author a caring message.

    Kept whether or not it was delivered (the sender is never told), so
    misuse can be seen and reported.
    """

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worried_sent"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worried_received"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered = models.BooleanField(default=False)
    misuse_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["author", "-created_at"], name="worried_author"),
            models.Index(fields=["sender", "-created_at"], name="worried_sender"),
        ]


class CrisisResource(models.Model):
    """A helpline, listed on /support/resources. Edited by the server's staff."""

    # ISO 3166 alpha-2, or "" for resources that serve everywhere.
    country = models.CharField(max_length=2, blank=True)
    country_name = models.CharField(max_length=80, blank=True)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=40, blank=True)
    text = models.CharField("text or chat", max_length=120, blank=True)
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # False for entries shipped with Hearth until this server's staff check them.
    checked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country_name", "position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country or 'everywhere'})"
