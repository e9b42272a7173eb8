from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms

from hearth.wellbeing.models import BREAK_MAX, BREAK_MIN, BUDGET_MAX, BUDGET_MIN, validate_time_zone


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
    return [(z, z.replace("_", " ")) for z in zones]


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Days and hours on your dashboard, and your daily budget, follow this zone.",
        validators=[validate_time_zone],
        error_messages={"invalid_choice": "Pick a time zone from the list, e.g. Europe/Berlin."},
    )
    daily_budget_minutes = forms.IntegerField(
        label="Daily budget, in minutes",
        required=False,
        min_value=BUDGET_MIN,
        max_value=BUDGET_MAX,
        help_text=(
            "When you reach it, Hearth pauses with an easy way to take 15 more minutes. "
            "Leave empty for no budget."
        ),
        error_messages={
            "min_value": f"A daily budget is at least {BUDGET_MIN} minutes. "
            "Leave it empty for no budget.",
            "max_value": f"A day has {BUDGET_MAX} minutes; pick that many or fewer, "
            "or leave it empty for no budget.",
            "invalid": "Write the budget as a whole number of minutes, like 45.",
        },
    )
    break_reminder_minutes = forms.IntegerField(
        label="Remind me to take a break after this many minutes in a row",
        required=False,
        min_value=BREAK_MIN,
        max_value=BREAK_MAX,
        help_text="A gentle note on the page, once per stretch. Leave empty for none.",
        error_messages={
            "min_value": f"A break reminder comes after at least {BREAK_MIN} minutes.",
            "max_value": f"A break reminder comes after at most {BREAK_MAX} minutes (4 hours).",
            "invalid": "Write the minutes as a whole number, like 30.",
        },
    )
    hide_own_counts = forms.BooleanField(
        label="Hide counts from me too",
        required=False,
        help_text="Your follower and following numbers disappear from your own profile.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = time_zone_choices()
