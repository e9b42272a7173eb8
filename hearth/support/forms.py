from __future__ import annotations

from typing import Any

from django import forms

from hearth.communities.models import Community
from hearth.posts.models import MAX_POST_LENGTH
from hearth.support.models import (
    MAX_CAPACITY,
    REQUEST_TOPICS,
    CrisisResource,
    SupportAudience,
    SupportKind,
    Topic,
)
from hearth.support.services import CHECKIN_DAYS

CHECKIN_CHOICES = [
    ("", "Don't check in"),
    *[(str(d), f"In {d} day{'s' if d != 1 else ''}") for d in CHECKIN_DAYS],
]


class RequestForm(forms.Form):
    text = forms.CharField(
        label="What's going on?",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_POST_LENGTH}),
        help_text="Share as much or as little as you like.",
    )
    kind = forms.ChoiceField(
        label="What kind of support would help?",
        choices=SupportKind.choices,
        widget=forms.RadioSelect,
        initial=SupportKind.LISTENING,
    )
    topic = forms.ChoiceField(label="What is it about?", choices=REQUEST_TOPICS)
    audience = forms.ChoiceField(
        label="Who can see it",
        choices=SupportAudience.choices,
        widget=forms.RadioSelect,
        initial=SupportAudience.SUPPORTERS,
    )
    community = forms.TypedChoiceField(
        label="Community", required=False, coerce=int, empty_value=None, choices=[]
    )
    ask_supporters = forms.BooleanField(
        label="Also ask a few of Hearth's volunteer supporters",
        required=False,
        initial=True,
        help_text="They can then read your request. Always on for “Only supporters”.",
    )
    checkin_days = forms.TypedChoiceField(
        label="Should Hearth check in on you later?",
        choices=CHECKIN_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
        initial="3",
        help_text="A gentle “how are you doing?”, only you see it.",
    )
    content_warning = forms.CharField(
        label="Content warning (optional)",
        required=False,
        max_length=200,
        help_text="For example: grief, self-harm. Readers see this first.",
    )

    def __init__(self, *args: Any, communities: list[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose a community"), *[(c.pk, c.name) for c in communities]]


class SupporterForm(forms.Form):
    scope = forms.TypedChoiceField(
        label="Where you offer support",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
    )
    topics = forms.MultipleChoiceField(
        label="Topics you feel able to support people with",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # A text field, so a zero or an absurd number gets a sentence, not a browser bubble.
    weekly_capacity = forms.CharField(
        label="Requests a week, at most",
        initial="2",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        help_text=f"From 1 to {MAX_CAPACITY}. Hearth never asks you more often than this.",
    )
    paused = forms.BooleanField(
        label="Pause: ask me nothing for now",
        required=False,
        help_text="Requests with you now go to other supporters.",
    )

    def __init__(self, *args: Any, communities: list[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "All of Hearth"), *[(c.pk, f"Only {c.name}") for c in communities]]


class CareSettingsForm(forms.Form):
    worried_messages = forms.BooleanField(
        label="Let people who are worried about me ask Hearth to send me a caring message",
        required=False,
        help_text="At most one a week, never saying who asked.",
    )


class CheckInForm(forms.Form):
    text = forms.CharField(
        label="How are you doing?",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        max_length=2000,
    )
    share = forms.BooleanField(
        label="Share this as an update on my request",
        required=False,
        help_text="Otherwise only you see it.",
    )


class CheckInWhenForm(forms.Form):
    checkin_days = forms.TypedChoiceField(
        label="Check in on me",
        choices=CHECKIN_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )


class ResourceForm(forms.ModelForm[CrisisResource]):
    url = forms.URLField(label="Website", required=False, assume_scheme="https")
    # Longer than two, so a country name gets the sentence below, not a length error.
    country = forms.CharField(
        label="Country code (two letters; empty for everywhere)", required=False, max_length=80
    )

    class Meta:
        model = CrisisResource
        fields = [
            "country",
            "country_name",
            "name",
            "phone",
            "text",
            "url",
            "hours",
            "description",
            "position",
            "checked",
        ]
        labels = {
            "checked": "Checked by this server's staff",
        }

    def clean_country(self) -> str:
        country = str(self.cleaned_data.get("country") or "").strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise forms.ValidationError("Use the two-letter country code, such as GB or US.")
        return country
