from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from hearth.gatherings.services import Details, zone_names

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class LocalDateTimeField(forms.CharField):
    """A wall-clock date and time with no zone; the form's `tz` gives it one (in the service)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value or "").strip()
        if not text:
            return None
        for fmt in LOCAL_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise forms.ValidationError("Enter a date and time like 2026-05-30 18:30.")


class GatheringForm(forms.Form):
    title = forms.CharField(max_length=120)
    description = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you'll do, who it is for, anything people should bring or know.",
    )
    community = forms.TypedChoiceField(
        label="Host it for a community (optional)",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Its members see it on the community page. A private community's "
        "gatherings are seen by its members only.",
    )
    tz = forms.ChoiceField(
        label="Time zone",
        help_text="The start and end are in this zone; people elsewhere also see their own time.",
    )
    starts = LocalDateTimeField(label="Starts")
    ends = LocalDateTimeField(label="Ends")
    online = forms.BooleanField(label="It happens online", required=False)
    area = forms.CharField(
        label="Area (optional)",
        max_length=120,
        required=False,
        help_text="A neighbourhood or town everyone sees, like “Kreuzberg, Berlin”.",
    )
    address = forms.CharField(
        max_length=300,
        required=False,
        help_text="Where to meet. Shown with a link to OpenStreetMap.",
    )
    address_attendees_only = forms.BooleanField(
        label="Show the exact address only to people going", required=False
    )
    meeting_url = forms.CharField(
        label="Meeting link (optional)",
        max_length=500,
        required=False,
        help_text="A video call or stream, starting with https://. Only people going see it.",
    )
    capacity = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="How many people can come, you included. Leave empty for no limit; "
        "when it is full, people join a waitlist and move up as places free.",
    )

    def __init__(
        self, *args: Any, communities: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tz_field = self.fields["tz"]
        assert isinstance(tz_field, forms.ChoiceField)
        tz_field.choices = [(z, z.replace("_", " ")) for z in zone_names()]
        community_field = self.fields["community"]
        assert isinstance(community_field, forms.ChoiceField)
        if communities:
            community_field.choices = [("", "None: it's my own gathering"), *communities]
        else:
            del self.fields["community"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", "The end must be after the start.")
        return data

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            title=data["title"],
            description=data["description"],
            tz=data["tz"],
            starts_local=data["starts"],
            ends_local=data["ends"],
            online=data["online"],
            area=data["area"],
            address=data["address"],
            address_attendees_only=data["address_attendees_only"],
            meeting_url=data["meeting_url"],
            capacity=data["capacity"],
        )


class RsvpForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("going", "Going"), ("maybe", "Maybe"), ("cant", "Can't go")]
    )
