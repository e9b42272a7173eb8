"""Conversations: one-to-one or small groups, their participants and messages.

Read only through hearth.messaging.selectors, whose access helpers raise the
same 404 for a missing conversation and one the viewer is not in.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from hearth.core.ids import snowflake

MAX_PEOPLE = 20
MAX_MESSAGE_LENGTH = 5000
MAX_PHOTOS = 4
MAX_TITLE_LENGTH = 80


class Conversation(models.Model):
    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    # A group can be named; a one-to-one conversation never is.
    title = models.CharField(max_length=MAX_TITLE_LENGTH, blank=True)
    is_group = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest message's id (0 for none): sorts the inbox and tells unread
    # without reading the messages.
    last_message_id = models.BigIntegerField(default=0, db_index=True)

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", kwargs={"conversation_id": self.pk})


class Participant(models.Model):
    """One person's place in a conversation, and what they have read."""

    class State(models.TextChoices):
        ACTIVE = "active", "In the conversation"
        # Started by someone they don't follow: waiting to be accepted.
        REQUEST = "request", "Message request"
        # A request set aside: the sender is not told.
        IGNORED = "ignored", "Ignored request"
        LEFT = "left", "Left"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    muted = models.BooleanField(default=False)
    last_read_message_id = models.BigIntegerField(default=0)
    # Hidden from the client API's list until a message newer than this id
    # arrives (Mastodon's DELETE /api/v1/conversations/:id); 0 for never.
    # Compared with the conversation's last_message_id, so a new message
    # brings it back without a write here.
    hidden_through_message_id = models.BigIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique")
        ]
        indexes = [models.Index(fields=["user", "state"], name="participant_user_state")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id} ({self.state})"


class Message(models.Model):
    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent"
    )
    text = models.TextField(max_length=MAX_MESSAGE_LENGTH, blank=True)
    # Sanitized by hearth.core.text.render at send time.
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["conversation", "-id"], name="message_conversation_id")]

    def __str__(self) -> str:
        return f"Message {self.pk}"


def photo_upload_to(instance: MessagePhoto, filename: str) -> str:
    # An unguessable folder: the file is served through an access-checked view,
    # and the reverse proxy should refuse /media/messages/ (docs/messaging.md).
    return f"messages/{uuid.uuid4().hex}/{filename}"


class MessagePhoto(models.Model):
    """A photo in a message, stripped and re-encoded by core.images.

    `message` is empty while the photo waits on a reconsider page.
    """

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_photos"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    position = models.PositiveSmallIntegerField(default=0)
    file = models.ImageField(upload_to=photo_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField("description", max_length=1500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Photo {self.pk}"
