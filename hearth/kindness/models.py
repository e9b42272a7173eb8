from __future__ import annotations

from django.conf import settings
from django.db import models
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
