from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms

from hearth.wellbeing.models import (
    BREAK_MAX,
    BREAK_MIN,
    BUDGET_MAX,
    BUDGET_MIN,
    Delivery,
    Weekday,
    validate_time_zone,
)

CHOICE_DEFAULTS: dict[str, int] = {
    "digest_hour": 18,
    "digest_weekday": Weekday.SUNDAY,
    "reflection_weekday": Weekday.SUNDAY,
}
HOUR_CHOICES = [(h, f"{h:02d}:00") for h in range(24)]
TIME_ERRORS = {"invalid": "Write a time of day like 22:00."}


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

    quiet_start = forms.TimeField(
        label="Quiet hours start",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Notifications made during quiet hours wait, and arrive as one summary after.",
        error_messages=TIME_ERRORS,
    )
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="May be the next morning, like 22:00 to 07:00. Leave both empty for none.",
        error_messages=TIME_ERRORS,
    )
    delivery = forms.TypedChoiceField(
        label="Notifications",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        required=False,
        empty_value=Delivery.LIVE,
        help_text=(
            "With a summary, notifications wait and arrive together; "
            "a request for your support and a gathering about to start still come at once."
        ),
        error_messages={"invalid_choice": "Choose how your notifications arrive."},
    )
    digest_hour = forms.TypedChoiceField(
        label="Summary time",
        choices=HOUR_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        help_text="When your daily or weekly summary arrives.",
        error_messages={"invalid_choice": "Pick an hour from the list."},
    )
    digest_weekday = forms.TypedChoiceField(
        label="Weekly summary day",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Pick a day of the week."},
    )
    weekly_reflection = forms.BooleanField(
        label="A weekly reflection",
        required=False,
        help_text=(
            "Once a week, a quiet look back: who you connected with, thank-you notes, "
            "support you gave. Never a streak or a score."
        ),
    )
    reflection_weekday = forms.TypedChoiceField(
        label="Reflection day",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Pick a day of the week."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = time_zone_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A form posted without the newer choices keeps the defaults.
        for name, default in CHOICE_DEFAULTS.items():
            if name in data and data[name] is None:
                data[name] = default
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if "quiet_start" in data and "quiet_end" in data:
            if start is not None and end is None:
                self.add_error("quiet_end", "Add when your quiet hours end, or clear the start.")
            elif end is not None and start is None:
                self.add_error("quiet_start", "Add when your quiet hours start, or clear the end.")
            elif start is not None and start == end:
                self.add_error(
                    "quiet_end",
                    "Quiet hours need an end different from their start (clear both for none).",
                )
        return data
