from __future__ import annotations

from django import forms

from hearth.kindness.models import ThankYouNote
from hearth.kindness.notes import has_visible_text

EMPTY_NOTE = "Write a few words of thanks before sending."


class ThankYouForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        max_length=ThankYouNote.MAX_LENGTH,
        help_text="What did they do, and what did it mean to you? Up to 1,000 characters.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": EMPTY_NOTE,
            "max_length": "Please keep your note to %(limit_value)s characters or fewer "
            "(it has %(show_value)s).",
        },
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not has_visible_text(text):
            raise forms.ValidationError(EMPTY_NOTE, code="required")
        return text
