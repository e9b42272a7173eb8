from __future__ import annotations

from django import forms

from hearth.messaging.models import MAX_MESSAGE_LENGTH, MAX_TITLE_LENGTH

ACCEPT_IMAGES = "image/jpeg,image/png,image/gif,image/webp"


class MessageForm(forms.Form):
    """The composer in a conversation: text and one photo, so it works without JavaScript."""

    text = forms.CharField(
        label="Message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_MESSAGE_LENGTH}),
    )
    photo = forms.FileField(
        label="Photo (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES}),
    )
    alt = forms.CharField(
        label="Describe the photo",
        required=False,
        max_length=1500,
        help_text="What's in the photo, for people who can't see it.",
    )

    carried: tuple[str, ...] = ("text", "alt")

    def carried_fields(self) -> list[forms.BoundField]:
        """What a reconsider page carries back: everything but the photo (staged apart)."""
        return [self[name] for name in self.carried]


class NewConversationForm(MessageForm):
    to = forms.CharField(
        label="To",
        max_length=2000,
        help_text="Usernames, separated by commas or spaces (up to 19 people).",
    )
    title = forms.CharField(
        label="Group name (optional)",
        required=False,
        max_length=MAX_TITLE_LENGTH,
        help_text="Only for a group of three or more.",
    )

    field_order = ["to", "title", "text", "photo", "alt"]
    carried: tuple[str, ...] = ("to", "title", "text", "alt")


class RenameForm(forms.Form):
    title = forms.CharField(label="Group name", required=False, max_length=MAX_TITLE_LENGTH)
