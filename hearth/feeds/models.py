from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hearth.core.ids import snowflake


class FeedEntry(models.Model):
    """A post in someone's home feed, written when the post is published (fan-out on write).

    Reading a home feed is then one backward range scan of the unique
    (owner, post) index, whatever the number of people followed. Every
    extra index slows fan-out (10,000 rows for a popular author), so owner
    has no index of its own: the unique index starts with it. See
    docs/benchmarks.md.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    # Copied from the post so unfollow, block and mute can act without a join.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "post"], name="feedentry_unique")]
        indexes = [models.Index(fields=["owner", "author"], name="feedentry_owner_author")]


class BoostEntry(models.Model):
    """A post someone shared, in the home feed of one of their followers (fan-out on write).

    Kept apart from FeedEntry because it sorts by the share's id, the time
    it was shared, not the post's: home_feed reads both, each with one
    backward range scan ((owner, -boost) here), and merges them. Unique on
    (owner, post): a post arrives in a feed once, by its first share, and
    boost_fanout skips feeds that have it already as a FeedEntry.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    boost = models.ForeignKey("posts.Boost", on_delete=models.CASCADE, related_name="+")
    # Copied from the share, for the uniqueness and for removing a deleted post's entries.
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "post"], name="boostentry_unique")]
        indexes = [models.Index(fields=["owner", "-boost"], name="boostentry_owner_boost")]


class FeedMarker(models.Model):
    """The newest post someone has seen in their home feed: the "caught up" line.

    `last_seen_post_id` may be a share's id (BoostEntry.boost): both are
    snowflakes, so either marks a time in the feed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True
    )
    last_seen_post_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        FOLLOW = "follow", "followed you"
        FOLLOW_REQUEST = "follow_request", "asked to follow you"
        FOLLOW_ACCEPTED = "follow_accepted", "accepted your follow request"
        REPLY = "reply", "replied to your post"
        MENTION = "mention", "mentioned you"
        REACTION = "reaction", "responded to your post"
        POST_REMOVED = "post_removed", "removed your post"
        JOIN_APPROVED = "join_approved", "approved your request to join"
        JOIN_DECLINED = "join_declined", "declined your request to join"
        ROLE = "role", "gave you a role"
        MENTOR_MATCHED = "mentor_matched", "matched you for mentoring"
        MENTOR_ENDED = "mentor_ended", "ended your mentorship"
        GATHERING_REMINDER = "gathering_reminder", "reminded you of a gathering"
        GATHERING_PROMOTED = "gathering_promoted", "has a place for you at a gathering"
        GATHERING_CANCELLED = "gathering_cancelled", "cancelled a gathering"
        GATHERING_SUGGESTION = "gathering_suggestion", "suggested hosting a gathering"
        SUPPORT_ROUTED = "support_routed", "asked for support"
        SUPPORT_CHECKIN = "support_checkin", "how are you doing?"
        WORRIED = "worried", "someone is thinking of you"
        MILESTONE_ANNIVERSARY = "milestone_reminder", "remembered a milestone"
        REBLOG = "reblog", "shared your post"
        MUTED = "muted", "muted you in a community"
        BANNED = "banned", "banned you from a community"

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reaction_kind = models.CharField(max_length=12, blank=True)
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    gathering = models.ForeignKey(
        "gatherings.Gathering",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # A short text the notification carries: a moderator's reason, a new role.
    note = models.CharField(max_length=500, blank=True)
    # When what it tells of ends (a community mute or ban); None: for good.
    until = models.DateTimeField(null=True, blank=True)
    # What caused it, so a repeated delivery of the same event adds nothing.
    source_key = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "source_key"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]


class ReadingList(models.Model):
    """A list of people someone follows, read as a timeline of its own (Mastodon's lists).

    Private to its owner. Members are people the owner follows
    (hearth.feeds.lists); the timeline is read at request time through
    PostQuerySet.visible_to, so it never shows a post the owner may not see.
    """

    class RepliesPolicy(models.TextChoices):
        FOLLOWED = "followed", "Replies to anyone I follow"
        LIST = "list", "Replies to people in the list"
        NONE = "none", "No replies"

    MAX_TITLE_LENGTH = 100
    MAX_PER_PERSON = 50
    MAX_MEMBERS = 500

    id = models.BigIntegerField(primary_key=True, default=snowflake, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists"
    )
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    replies_policy = models.CharField(
        max_length=8, choices=RepliesPolicy.choices, default=RepliesPolicy.LIST
    )
    # Members' posts are left out of the owner's home feed.
    exclusive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "id"], name="readinglist_owner")]

    def __str__(self) -> str:
        return self.title


class ReadingListMember(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reading_list", "member"], name="readinglistmember_unique"
            )
        ]
        indexes = [models.Index(fields=["member"], name="readinglistmember_member")]
