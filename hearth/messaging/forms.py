from __future__ import annotations

from typing import Any

from django import forms

from hearth.messaging.models import MAX_MESSAGE_LENGTH, MAX_PHOTOS, MAX_TITLE_LENGTH

ACCEPT_IMAGES = "image/jpeg,image/png,image/gif,image/webp"
PHOTO_SLOTS = range(1, MAX_PHOTOS + 1)


class MessageForm(forms.Form):
    """The composer in a conversation: text and up to MAX_PHOTOS photos, each with its own
    description, as separate file fields so it works without JavaScript."""

    text = forms.CharField(
        label="Message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_MESSAGE_LENGTH}),
    )

    # What a reconsider page carries back. Not the photos (staged apart, with
    # their descriptions), and so not the descriptions either.
    carried: tuple[str, ...] = ("text",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in PHOTO_SLOTS:
            self.fields[f"photo_{n}"] = forms.FileField(
                label=f"Photo {n}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=f"Describe photo {n}",
                required=False,
                max_length=1500,
                help_text="What's in the photo, for people who can't see it.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in PHOTO_SLOTS:
            # A failed form keeps descriptions but no file (browsers never
            # refill a file field): say so beside the description.
            if data.get(f"alt_{n}", "").strip() and not data.get(f"photo_{n}"):
                self.add_error(f"alt_{n}", "Choose the photo again (or clear this description).")
        return data

    def photo_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"photo_{n}"], self[f"alt_{n}"]) for n in PHOTO_SLOTS]

    def photo_errors(self) -> bool:
        return any(self[f"photo_{n}"].errors or self[f"alt_{n}"].errors for n in PHOTO_SLOTS)

    def carried_fields(self) -> list[forms.BoundField]:
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

    field_order = ["to", "title", "text"]
    carried: tuple[str, ...] = ("to", "title", "text")


class RenameForm(forms.Form):
    title = forms.CharField(
        label="Group name",
        required=False,
        max_length=MAX_TITLE_LENGTH,
        error_messages={"max_length": f"A name can be up to {MAX_TITLE_LENGTH} characters."},
    )
