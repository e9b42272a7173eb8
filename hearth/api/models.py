"""What the client API keeps beside django-oauth-toolkit's own tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from oauth2_provider.settings import oauth2_settings


class ClientApp(models.Model):
    """The Mastodon side of an OAuth application: the scopes and website it registered.

    django-oauth-toolkit's Application has no notion of scopes an app may
    ask for; Mastodon's apps register them, and authorization asks for a
    subset (hearth.api.oauth.AppScopes reads them from here).
    """

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="hearth_app",
    )
    scopes = models.CharField(max_length=1000, default="read")
    website = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"app {self.application_id}"


class IdempotencyKey(models.Model):
    """An Idempotency-Key a person sent with a new status, and the status it made.

    Mastodon keeps these for an hour: a client retrying a post after a
    dropped connection gets the first post back instead of a second copy.
    Rows older than that are ignored and cleared as new ones arrive.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    post_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_unique")
        ]
