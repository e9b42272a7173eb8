from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from hearth.core.ids import snowflake
from hearth.posts.querysets import PostQuerySet

MAX_POST_LENGTH = 5000
MAX_MEDIA = 4


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    # Readable by anyone with the link, as a public post, but never listed
    # in public places: public and local timelines, tag pages, search,
    # public streams, discovery. Followers still get it at home, and it
    # shows on the author's profile (Mastodon's "unlisted"). Only public
    # posts may be shared (hearth.posts.boosts), so not these.
    UNLISTED = "unlisted", "Public, but not in timelines"
    FOLLOWERS = "followers", "Followers"
    CIRCLE = "circle", "Close circle"
    MENTIONED = "mentioned", "Mentioned people only"
    # A request for support meant only for the supporters Hearth asked (and
    # the replies under it). Who they are is decided above posts, through
    # hearth.posts.readers; the composer never offers it for a plain post.
    SUPPORTERS = "supporters", "Supporters only"


# Who may read a post without being anyone in particular (signed out too).
READABLE_BY_ANYONE = (Audience.PUBLIC, Audience.UNLISTED)


class Tone(models.TextChoices):
    JOKING = "joking", "Joking"
    SERIOUS = "serious", "Serious"
    VENTING = "venting", "Venting"
    CELEBRATING = "celebrating", "Celebrating"
    ADVICE = "advice", "Asking for advice"
    SUPPORT = "support", "Asking for support"
    SARCASTIC = "sarcastic", "Sarcastic"
    GENUINE = "genuine", "Genuine question"


class ReactionKind(models.TextChoices):
    WITH_YOU = "with_you", "With you"
    CELEBRATE = "celebrate", "Celebrate"
    THANK_YOU = "thank_you", "Thank you"
    RELATE = "relate", "I relate"
    LOVE = "love", "Love"


REACTION_EMOJI = {
    ReactionKind.WITH_YOU: "🤝",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.THANK_YOU: "🙏",
    ReactionKind.RELATE: "💭",
    ReactionKind.LOVE: "❤️",
}


class ReplyPolicy(models.TextChoices):
    EVERYONE = "everyone", "Everyone who can see it"
    FOLLOWING = "following", "People I follow"
    MENTIONED = "mentioned", "People I mention"
    NOBODY = "nobody", "Nobody"


CARE_TONES = frozenset({"venting", "support"})


class Post(models.Model):
    """A post or a reply. The text is stored as typed; `html` is made by Hearth."""

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    text = models.TextField(max_length=MAX_POST_LENGTH)
    html = models.TextField()
    content_warning = models.CharField(max_length=200, blank=True)
    tone = models.CharField(max_length=12, choices=Tone.choices, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # The first post of the thread; a root post points at itself.
    thread_root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="thread_posts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set on the first post of a thread by its author; they apply to the whole thread.
    reply_policy = models.CharField(
        "who can reply", max_length=10, choices=ReplyPolicy.choices, default=ReplyPolicy.EVERYONE
    )
    slow_mode_minutes = models.PositiveSmallIntegerField(
        "slow mode",
        default=0,
        help_text="Each person may reply once every this many minutes; 0 turns it off.",
    )
    # A post addressed to a community, and every reply in its thread. Who may
    # read it is then the community's business (see hearth.posts.community).
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="posts",
    )
    # Set by a community's moderators: a removed post is shown only to its
    # author, with the reason; a locked thread (set on its first post) takes
    # no new replies.
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=500, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-id"], name="post_author_id"),
            models.Index(fields=["thread_root", "id"], name="post_thread"),
            models.Index(
                fields=["community", "-id"],
                condition=models.Q(community__isnull=False),
                name="post_community",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("post", kwargs={"username": self.author.username, "post_id": self.pk})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def asks_for_care(self) -> bool:
        """Venting, asking for support, or behind a content warning: read it before responding."""
        return self.tone in CARE_TONES or bool(self.content_warning)


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentioned_in"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="mention_unique")]
        indexes = [models.Index(fields=["user", "post"], name="mention_user")]


class PostTag(models.Model):
    """A #hashtag in a post, stored lower-cased."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="posttag_unique")]
        indexes = [models.Index(fields=["tag", "-post"], name="posttag_tag")]


class PostEdit(models.Model):
    """An earlier version of an edited post, kept so readers can see what changed."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    text = models.TextField()
    html = models.TextField()
    content_warning = models.CharField(max_length=200, blank=True)
    tone = models.CharField(max_length=12, choices=Tone.choices, blank=True)
    created_at = models.DateTimeField(help_text="When this version was first published.")

    class Meta:
        ordering = ["-created_at"]


def media_upload_to(instance: Media, filename: str) -> str:
    return f"media/{instance.owner_id}/{filename}"


class Media(models.Model):
    """A photo attached to a post, already stripped and re-encoded."""

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="media"
    )
    position = models.PositiveSmallIntegerField(default=0)
    file = models.ImageField(upload_to=media_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField("description", max_length=1500, blank=True)
    blurhash = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]


class Reaction(models.Model):
    """One person's empathetic response to a post: one kind per person per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="reaction_unique")]

    @property
    def emoji(self) -> str:
        return REACTION_EMOJI[ReactionKind(self.kind)]


class Boost(models.Model):
    """`booster` shared `post` with their followers: Mastodon's reblog, "Share" on the pages.

    Only a public post outside any private community may be shared
    (posts.services.boost_create checks it). The id is a snowflake, so a
    share sorts into a home feed at the time it was made, not the post's.
    Whoever reads one still goes through PostQuerySet.visible_to for the
    post itself, so a share never shows a post its reader may not see.
    """

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    booster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boosts"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="boosts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booster", "post"], name="boost_unique")]
        indexes = [models.Index(fields=["booster", "-id"], name="boost_booster_id")]

    def __str__(self) -> str:
        return f"Boost {self.pk}"


class MilestoneKind(models.TextChoices):
    NEW_JOB = "new_job", "New job"
    GRADUATION = "graduation", "Graduation"
    MOVED = "moved", "Moved home"
    NEW_FAMILY = "new_family", "New family member"
    RECOVERY = "recovery", "Recovery anniversary"
    CUSTOM = "custom", "Something else"


MILESTONE_EMOJI = {
    MilestoneKind.NEW_JOB: "💼",
    MilestoneKind.GRADUATION: "🎓",
    MilestoneKind.MOVED: "🏡",
    MilestoneKind.NEW_FAMILY: "👶",
    MilestoneKind.RECOVERY: "🌱",
    MilestoneKind.CUSTOM: "🎉",
}


class Milestone(models.Model):
    """A life event shared as a post: the post carries the words, this the occasion."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="milestone")
    kind = models.CharField(max_length=12, choices=MilestoneKind.choices)
    # What to call a custom milestone ("First marathon"); empty for the named kinds.
    label = models.CharField(max_length=80, blank=True)
    date = models.DateField("when it happened")

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"

    @property
    def title(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def emoji(self) -> str:
        return MILESTONE_EMOJI.get(MilestoneKind(self.kind), "🎉")


class MilestoneReminder(models.Model):
    """`user` asked to be reminded of `milestone` on its anniversary.

    `last_year` is the year of the latest reminder sent, so each year's is
    claimed (and sent) once however many workers run the periodic task.
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="milestone_reminders"
    )
    last_year = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "user"], name="milestone_reminder_unique")
        ]


class Bookmark(models.Model):
    """A post someone saved to read again. Private: only `user` ever sees it.

    The id is a snowflake, so the saved list pages by when a post was saved,
    as Mastodon's bookmarks do.
    """

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="bookmark_unique")]
        indexes = [models.Index(fields=["user", "-id"], name="bookmark_user_id")]

    def __str__(self) -> str:
        return f"Bookmark {self.pk}"


MAX_PINNED = 5


class PinnedPost(models.Model):
    """One of an author's own posts shown first on their profile (at most MAX_PINNED)."""

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pinned_posts"
    )
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="profile_pin")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["author", "-id"], name="pinnedpost_author_id")]

    def __str__(self) -> str:
        return f"Pinned post {self.post_id}"
