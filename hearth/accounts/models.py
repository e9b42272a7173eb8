from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

USERNAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_]{1,30}$",
    "Use 1 to 30 letters, digits or underscores.",
)
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "api",
        "about",
        "help",
        "home",
        "login",
        "logout",
        "signup",
        "settings",
        "static",
        "media",
        "notifications",
        "tags",
        "hearth",
        "root",
        "staff",
        "support",
        "moderator",
        "mod",
        "system",
        "null",
        "none",
        "me",
        "well_known",
    }
)


class HearthUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person with an account on this server, and their public profile."""

    username = models.CharField(
        max_length=30,
        unique=True,
        validators=[USERNAME_VALIDATOR],
        help_text="1 to 30 letters, digits or underscores. People find you as @username.",
        error_messages={"unique": "Someone already has that username."},
    )
    email = models.EmailField("email address", max_length=254)
    display_name = models.CharField(max_length=80, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    bio = models.CharField("short bio", max_length=500, blank=True)
    story = models.TextField("my story", max_length=5000, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="Languages you read and write, separated by commas."
    )
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    avatar_alt = models.CharField(max_length=300, blank=True)
    locked = models.BooleanField(
        "approve followers",
        default=False,
        help_text="People ask to follow you and you decide who may.",
    )
    show_counts = models.BooleanField(
        "show my follower and following counts",
        default=False,
        help_text="Off by default: only you see how many people follow you.",
    )

    objects = HearthUserManager()  # type: ignore[misc]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.username}"

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]

    def get_absolute_url(self) -> str:
        return reverse("profile", kwargs={"username": self.username})


class Follow(models.Model):
    """`follower` follows `followee`; pending until a locked account approves."""

    class State(models.TextChoices):
        PENDING = "pending", "Requested"
        ACCEPTED = "accepted", "Following"

    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_set")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_set")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACCEPTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
        ]
        indexes = [models.Index(fields=["followee", "state"], name="follow_followee_state")]


class Block(models.Model):
    """`blocker` blocks `blocked`: no following, no replies, no seeing each other's posts."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocking_set")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]
        indexes = [models.Index(fields=["blocked"], name="block_blocked")]


class Mute(models.Model):
    """`muter` no longer sees `muted`'s posts in their feed; `muted` is not told."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muting_set")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="mute_not_self"
            ),
        ]


class CircleMember(models.Model):
    """`member` is in `owner`'s close circle and sees their close-circle posts."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="circle_set")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="in_circles_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "member"], name="circle_unique"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("member")), name="circle_not_self"
            ),
        ]
        indexes = [models.Index(fields=["member"], name="circle_member")]


class Invite(models.Model):
    """A link someone shares so a friend can join: the two follow each other on sign-up.

    It works `max_uses` times until `expires_at`.
    """

    token = models.CharField(max_length=40, unique=True)
    inviter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invites")
    uses = models.PositiveIntegerField(default=0)
    max_uses = models.PositiveIntegerField(default=5)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["inviter", "-created_at"], name="invite_inviter")]

    def __str__(self) -> str:
        return f"Invite by {self.inviter_id}"
