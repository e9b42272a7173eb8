"""Reports to the people who run this server: about a person, and some of their posts.

Communities have their own reports, to their own moderators
(hearth.communities.models.Report); these are for the instance's staff,
who read them in Django's admin (/admin/). A report is seen by its staff
only: nobody is told who reported them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hearth.core.ids import snowflake


class InstanceReport(models.Model):
    class Category(models.TextChoices):
        # Mastodon's report categories (https://docs.joinmastodon.org/entities/Report/).
        SPAM = "spam", "Spam"
        LEGAL = "legal", "Illegal content"
        VIOLATION = "violation", "Breaks the server's rules"
        OTHER = "other", "Something else"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    MAX_COMMENT_LENGTH = 1000
    MAX_POSTS = 20

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="reported person",
    )
    posts = models.ManyToManyField("posts.Post", blank=True, related_name="+")
    comment = models.TextField(max_length=MAX_COMMENT_LENGTH, blank=True)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.OTHER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "report"
        indexes = [models.Index(fields=["state", "-id"], name="instancereport_queue")]

    def __str__(self) -> str:
        return f"Report {self.pk}"
