from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from hearth.core.ids import snowflake


class Prompt(models.Model):
    """One "reconsider?" prompt shown before something was sent, and what its author chose.

    Kept for anonymous, aggregated instance figures (prompts a week and the
    share edited, cancelled or sent anyway). The text itself is not kept
    unless its author says the prompt was wrong.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", "No choice yet"
        EDITED = "edited", "Edited"
        CANCELLED = "cancelled", "Cancelled"
        SENT_ANYWAY = "sent_anyway", "Sent anyway"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    context = models.CharField(max_length=12, default="post")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    tone = models.CharField(max_length=12, blank=True)
    # The thread the reply was meant for, so a heated thread can be noticed.
    thread_root_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)


class PromptFeedback(models.Model):
    """ "This was wrong": the author says the prompt misread them. Stored for retraining."""

    prompt = models.OneToOneField(Prompt, on_delete=models.CASCADE, related_name="feedback")
    text = models.TextField(max_length=20_000)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ThankYouNote(models.Model):
    """A private note of gratitude: only its sender and its recipient ever see it.

    The id is a snowflake (hearth.core.ids), so lists page by id and the
    newest note sorts first without a second index on time.
    """

    MAX_LENGTH = 1000

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    text = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="thankyounote_not_self"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="thankyounote_recipient"),
            models.Index(fields=["sender", "-id"], name="thankyounote_sender"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="thankyounote_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"Thank-you note {self.pk}"


class KeywordFilter(models.Model):
    """A word or phrase someone would rather not see, hidden or put behind a warning.

    Matching (hearth.kindness.filters) is case-insensitive, ignores
    zero-width characters and accents on Latin letters, and never applies to
    the owner's own posts. An expired filter stays listed, with no effect,
    until its owner renews or deletes it.
    """

    MAX_PHRASE_LENGTH = 100
    # Enough for anyone's list; a cap keeps the one regex built per page small.
    MAX_PER_PERSON = 100

    class Action(models.TextChoices):
        WARN = "warn", "Show behind a warning"
        HIDE = "hide", "Hide completely"

    class Context(models.TextChoices):
        # Each value is also the name of the boolean field below.
        HOME = "home", "Home feed"
        NOTIFICATIONS = "notifications", "Notifications"
        THREADS = "threads", "Replies in threads"
        COMMUNITIES = "communities", "Communities"
        PUBLIC = "public", "Profiles and tag pages"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keyword_filters"
    )
    phrase = models.CharField(max_length=MAX_PHRASE_LENGTH)
    whole_word = models.BooleanField(default=True)
    action = models.CharField(max_length=4, choices=Action.choices, default=Action.WARN)
    home = models.BooleanField(default=True)
    notifications = models.BooleanField(default=True)
    threads = models.BooleanField(default=True)
    communities = models.BooleanField(default=True)
    public = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # SQLite's lower() folds ASCII only; the service compares fully
            # folded phrases first, and this catches a race between two adds.
            models.UniqueConstraint(
                models.F("owner"), Lower("phrase"), name="keywordfilter_unique_phrase"
            ),
            models.CheckConstraint(
                condition=models.Q(home=True)
                | models.Q(notifications=True)
                | models.Q(threads=True)
                | models.Q(communities=True)
                | models.Q(public=True),
                name="keywordfilter_some_context",
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=["warn", "hide"]), name="keywordfilter_action"
            ),
        ]

    def __str__(self) -> str:
        return f"Keyword filter {self.pk}"

    @property
    def contexts(self) -> list[str]:
        """The contexts this filter applies in, as KeywordFilter.Context values."""
        return [c.value for c in self.Context if getattr(self, c.value)]
