from __future__ import annotations

from django import forms

from hearth.core.text import normalize_newlines
from hearth.posts.models import (
    MAX_MEDIA,
    MAX_POST_LENGTH,
    Audience,
    MilestoneKind,
    ReactionKind,
    ReplyPolicy,
    Tone,
)

TONE_CHOICES = [("", "No tone"), *Tone.choices]


class PostForm(forms.Form):
    """The composer. Photos come as media_1..4 with alt_1..4, so it works without JavaScript."""

    text = forms.CharField(
        label="What would you like to share?",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_POST_LENGTH}),
    )
    content_warning = forms.CharField(
        label="Content warning (optional)",
        required=False,
        max_length=200,
        help_text="Readers see this first and choose whether to open the post.",
    )
    tone = forms.ChoiceField(
        label="Tone",
        choices=TONE_CHOICES,
        required=False,
        help_text="Or type /j, /s, /srs or /gen in your post.",
    )
    # Not required: a community post has no audience of its own (the
    # composer leaves the choice out there), and missing means public.
    # "Supporters only" belongs to requests for support (hearth.support), and
    # replies under one keep it (post_create), so the composer never offers it.
    audience = forms.ChoiceField(
        label="Who sees this",
        choices=[c for c in Audience.choices if c[0] != Audience.SUPPORTERS],
        initial=Audience.PUBLIC,
        required=False,
    )
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A post addressed to a community (hearth.posts.community decides if it may be).
    community = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, MAX_MEDIA + 1):
            self.fields[f"media_{i}"] = forms.FileField(
                label=f"Photo {i}",
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
                ),
            )
            self.fields[f"alt_{i}"] = forms.CharField(
                label=f"Describe photo {i}",
                required=False,
                max_length=1500,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What's in the photo, for people who can't see it.",
            )

    def clean_audience(self) -> str:
        return str(self.cleaned_data.get("audience") or Audience.PUBLIC)

    def clean_text(self) -> str:
        text = normalize_newlines(self.cleaned_data["text"])
        if len(text.strip()) > MAX_POST_LENGTH:
            length = len(text.strip())
            raise forms.ValidationError(
                f"Posts can be up to {MAX_POST_LENGTH:,} characters; this one has {length:,}."
            )
        return text

    def carried_fields(self) -> list[forms.BoundField]:
        """What a reconsider page carries back: everything but the photos (staged apart)."""
        return [
            self[name]
            for name in ("text", "content_warning", "tone", "audience", "in_reply_to", "community")
        ]

    def photo_errors(self) -> bool:
        """True when a photo or its description has an error, so the section opens."""
        return (
            any(
                name in self.errors
                for i in range(1, MAX_MEDIA + 1)
                for name in (f"media_{i}", f"alt_{i}")
            )
            or "media" in self.errors
        )

    def photo_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"media_{i}"], self[f"alt_{i}"]) for i in range(1, MAX_MEDIA + 1)]


class EditForm(forms.Form):
    text = forms.CharField(
        label="Post", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    content_warning = forms.CharField(
        label="Content warning (optional)", required=False, max_length=200
    )
    tone = forms.ChoiceField(label="Tone", choices=TONE_CHOICES, required=False)

    def carried_fields(self) -> list[forms.BoundField]:
        """What a reconsider page carries back to the edit page."""
        return [self[name] for name in ("text", "content_warning", "tone")]


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class AltForm(forms.Form):
    alt = forms.CharField(
        label="Description", max_length=1500, widget=forms.Textarea(attrs={"rows": 3})
    )


SLOW_MODE_CHOICES = [
    (0, "Off"),
    (5, "One reply every 5 minutes"),
    (15, "One reply every 15 minutes"),
    (60, "One reply an hour"),
    (1440, "One reply a day"),
]


class ThreadRulesForm(forms.Form):
    reply_policy = forms.ChoiceField(label="Who can reply", choices=ReplyPolicy.choices)
    slow_mode_minutes = forms.TypedChoiceField(
        label="Slow mode", choices=SLOW_MODE_CHOICES, coerce=int
    )


class MilestoneForm(forms.Form):
    """The "Share a milestone" page: what happened, when, and a few words."""

    kind = forms.ChoiceField(label="What happened", choices=MilestoneKind.choices)
    label = forms.CharField(
        label="Name it (for “Something else”)",
        required=False,
        max_length=80,
        help_text="For example: First marathon, or Ten years sober.",
    )
    date = forms.DateField(
        label="When", widget=forms.DateInput(attrs={"type": "date"}), help_text="Today or earlier."
    )
    text = forms.CharField(
        label="Tell people about it (optional)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_POST_LENGTH}),
    )
    audience = forms.ChoiceField(
        label="Who sees this",
        choices=[c for c in Audience.choices if c[0] != Audience.SUPPORTERS],
        initial=Audience.PUBLIC,
    )
    content_warning = forms.CharField(
        label="Content warning (optional)", required=False, max_length=200
    )

    def clean_text(self) -> str:
        return normalize_newlines(self.cleaned_data["text"])
