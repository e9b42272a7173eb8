from __future__ import annotations

from django import forms

from hearth.communities.models import Community, Membership


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=80)
    slug = forms.CharField(
        label="Address",
        max_length=40,
        help_text="Your community will live at /c/address: lower-case letters, digits, hyphens.",
    )
    description = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people talk about and do here.",
    )
    who_for = forms.CharField(
        label="Who it is for",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Help the right people recognise themselves.",
    )
    topics = forms.CharField(
        max_length=300,
        required=False,
        help_text="Up to 10, separated by commas: grief, parents, loss.",
    )
    kind = forms.ChoiceField(choices=Community.Kind.choices)
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=Community.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Community.Visibility.PUBLIC,
        help_text="This can't be changed later.",
    )
    join_policy = forms.ChoiceField(
        label="Who can join",
        choices=Community.JoinPolicy.choices,
        widget=forms.RadioSelect,
        initial=Community.JoinPolicy.OPEN,
    )
    join_question = forms.CharField(
        label="A question for people asking to join (optional)",
        max_length=300,
        required=False,
    )
    rules = forms.CharField(
        label="Rules",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One rule per line, most important first. New members agree to them.",
        required=False,
    )
    icon = forms.FileField(
        label="Picture (optional)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    icon_alt = forms.CharField(label="Describe the picture", max_length=300, required=False)

    def rule_lines(self) -> list[str]:
        return str(self.cleaned_data.get("rules", "")).splitlines()


class CommunityEditForm(CommunityForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["slug"]
        del self.fields["visibility"]


class JoinForm(forms.Form):
    accept_rules = forms.BooleanField(
        label="I have read the rules and will follow them", required=False
    )
    answer = forms.CharField(
        label="Your answer",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    code = forms.CharField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RestrictForm(forms.Form):
    DURATIONS = [("1", "1 day"), ("7", "7 days"), ("30", "30 days"), ("", "For good")]

    action = forms.ChoiceField(
        choices=[("mute", "Mute"), ("ban", "Ban")],
        error_messages={
            "required": "Choose mute or ban.",
            "invalid_choice": "Choose mute or ban.",
        },
    )
    days = forms.ChoiceField(
        label="For",
        choices=DURATIONS,
        required=False,
        error_messages={"invalid_choice": "Choose 1, 7 or 30 days, or for good."},
    )
    reason = forms.CharField(
        max_length=500,
        error_messages={
            "required": "Give a reason; the person will be told.",
            "max_length": "A reason can be up to 500 characters.",
        },
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
            (Membership.Role.MODERATOR, "Moderator"),
            (Membership.Role.MENTOR, "Mentor"),
            (Membership.Role.MEMBER, "Member"),
        ],
        error_messages={
            "required": "Choose moderator, mentor or member.",
            "invalid_choice": "Choose moderator, mentor or member.",
        },
    )


class MentorRequestForm(forms.Form):
    topic = forms.CharField(
        label="What would you like mentoring in?",
        max_length=120,
        required=False,
    )
    hopes = forms.CharField(
        label="What do you hope for?",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
