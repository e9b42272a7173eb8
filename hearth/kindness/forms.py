from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from hearth.kindness import filters
from hearth.kindness.models import KeywordFilter, ThankYouNote
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


class KeywordFilterForm(forms.Form):
    """Add or change a keyword filter. `current` is the filter being edited, if any."""

    phrase = forms.CharField(
        label="Word or phrase",
        help_text="Matched in any case, with or without accents, across line breaks.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "dir": "auto",
                "maxlength": KeywordFilter.MAX_PHRASE_LENGTH,
            }
        ),
        error_messages={"required": filters.EMPTY_PHRASE},
    )
    whole_word = forms.BooleanField(
        label="Whole word only",
        required=False,
        initial=True,
        help_text="A filter for “cat” then leaves “category” alone. "
        "Untick to match inside longer words too.",
    )
    action = forms.ChoiceField(
        label="What to do with a match",
        choices=KeywordFilter.Action.choices,
        initial=KeywordFilter.Action.WARN,
        widget=forms.RadioSelect,
    )
    contexts = forms.MultipleChoiceField(
        label="Where",
        choices=KeywordFilter.Context.choices,
        initial=KeywordFilter.Context.values,
        widget=forms.CheckboxSelectMultiple,
        help_text="Communities: kept for when community pages arrive on Hearth. "
        "Your own posts are never filtered.",
        error_messages={"required": filters.NO_CONTEXT},
    )
    expiry = forms.ChoiceField(label="For how long", initial="never")

    def __init__(self, *args: Any, current: KeywordFilter | None = None, **kwargs: Any) -> None:
        if current is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "phrase": current.phrase,
                "whole_word": current.whole_word,
                "action": current.action,
                "contexts": current.contexts,
                "expiry": filters.KEEP_EXPIRY if current.expires_at else "never",
            }
        super().__init__(*args, **kwargs)
        choices = [(key, label) for key, (label, _) in filters.EXPIRY_CHOICES.items()]
        if current is not None and current.expires_at is not None:
            status = filters.expiry_label(current.expires_at, timezone.now()).lower()
            choices.insert(0, (filters.KEEP_EXPIRY, f"Keep as it is ({status})"))
        field = self.fields["expiry"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if current is not None:
            # New expiries count from the moment the change is saved.
            field.help_text = "A new choice counts from now."

    def clean_phrase(self) -> str:
        phrase = filters.clean_phrase(self.cleaned_data["phrase"])
        problem = filters.phrase_error(phrase)
        if problem:
            raise forms.ValidationError(problem)
        return phrase
