from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from hearth.accounts.models import USERNAME_VALIDATOR, User
from hearth.accounts.services import email_check, username_check


class SignupForm(forms.Form):
    username = forms.CharField(
        max_length=30,
        validators=[USERNAME_VALIDATOR],
        help_text="1 to 30 letters, digits or underscores. People find you as @username.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        help_text="Only you and the server's staff ever see this.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not a common password and not all digits.",
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        username_check(username)
        return username

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        email_check(email)
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                validate_password(password, probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": "That username or email and password don't match. Please try again.",
        "inactive": "This account is not active.",
    }


class ProfileForm(forms.ModelForm[User]):
    avatar_upload = forms.ImageField(
        label="New avatar",
        required=False,
        help_text=(
            "JPEG, PNG, GIF or WebP, up to 16 MB. "
            "It is cropped square and its location data removed."
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "pronouns", "bio", "story", "languages", "avatar_alt"]
        labels = {"avatar_alt": "Avatar description"}
        help_texts = {
            "bio": "A line or two, shown under your name.",
            "story": (
                "As much or as little as you like: what you are going through, what you care about."
            ),
            "avatar_alt": "Describe your avatar for people who use screen readers.",
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 2}),
            "story": forms.Textarea(attrs={"rows": 8}),
        }


class AccountForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["email", "locked", "show_counts"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        email_check(email, exclude=self.instance)
        return email


class UsernameForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=31, widget=forms.TextInput(attrs={"autocapitalize": "none"})
    )

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip().lstrip("@")
        user = User.objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            raise ValidationError(f"There is nobody called @{name} here.")
        return user
