"""Home feeds and notifications. Every function is idempotent: a task that runs
twice, or an event delivered twice, changes nothing the second time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connections, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hearth.accounts.models import Block, CircleMember, Follow, Mute, User
from hearth.communities.models import FOR_GOOD, LogEntry, Membership, MentorRequest
from hearth.core.ids import snowflake
from hearth.feeds.live import announce_notification
from hearth.feeds.models import BoostEntry, FeedEntry, FeedMarker, Notification
from hearth.gatherings.models import CommunitySuggestion, Gathering, Rsvp
from hearth.posts.models import Audience, Boost, Post, Reaction
from hearth.support.models import Route, SupportRequest, WorriedRequest

BACKFILL_POSTS = 20


def _community_members_meant_for(post: Post) -> QuerySet[Membership]:
    """Members who chose to have the community's posts at home; a thread's replies go to nobody.

    A community post reaches its members, not the author's followers: they
    did not join, and a private community's posts must not leave it.
    """
    if post.in_reply_to_id is not None or post.community_id is None:
        # Not .none(): feed_fanout embeds this query's SQL, and none() has none.
        return Membership.objects.filter(user__isnull=True)
    return (
        Membership.objects.filter(
            community_id=post.community_id, state=Membership.State.ACTIVE, home_feed=True
        )
        .exclude(banned_until__gt=timezone.now())
        .exclude(user_id=post.author_id)
    )


def _followers_meant_for(post: Post) -> QuerySet[Follow]:
    """Accepted followers of the author who may see `post` and so get it at home."""
    followers = Follow.objects.filter(followee_id=post.author_id, state=Follow.State.ACCEPTED)
    if post.audience == Audience.CIRCLE:
        followers = followers.filter(
            Q(follower__in=CircleMember.objects.filter(owner_id=post.author_id).values("member"))
            | Q(follower__in=post.mentions.values("user"))
        )
    elif post.audience == Audience.MENTIONED:
        followers = followers.filter(follower__in=post.mentions.values("user"))
    elif post.audience == Audience.SUPPORTERS:
        # Read on /support and the thread only, never at home (hearth.support.readers).
        # Not .none(): feed_fanout needs SQL it can embed, and none() has none.
        followers = followers.filter(follower__isnull=True)
    return followers


def feed_fanout(*, post_id: int) -> int:
    """Put a published post into the home feed of its author and everyone it is meant for.

    Returns the number of feed entries written (0 if all were there
    already). Missing or deleted posts are skipped.

    The followers are copied inside the database with one INSERT ... SELECT:
    for an author with 10,000 followers, fetching their ids into Python and
    sending them back in batches cost about twice as long (docs/benchmarks.md).
    """
    post = Post.objects.live().filter(pk=post_id).first()
    if post is None:
        return 0
    recipients = (
        _community_members_meant_for(post).values("user_id")
        if post.community_id is not None
        else _followers_meant_for(post).values("follower_id")
    )
    select_sql, params = recipients.query.sql_with_params()
    connection = connections[FeedEntry.objects.db]
    table = connection.ops.quote_name(FeedEntry._meta.db_table)
    # Both PostgreSQL and SQLite (3.24+) take ON CONFLICT DO NOTHING; SQLite
    # needs the WHERE to tell it from an upsert clause.
    sql = (
        f"INSERT INTO {table} (owner_id, post_id, author_id) "  # noqa: S608 (names from model meta)
        f"SELECT s.follower_id, %s, %s FROM "
        f"(SELECT %s AS follower_id UNION ALL {select_sql}) AS s WHERE 1 = 1 "
        "ON CONFLICT (owner_id, post_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [post.pk, post.author_id, post.author_id, *params])
        return max(int(cursor.rowcount), 0)


def feed_backfill(*, follower_id: int, followee_id: int) -> None:
    """After a follow, bring the followee's recent posts the follower may see into their feed."""
    follower = User.objects.filter(pk=follower_id).first()
    if follower is None:
        return
    recent = (
        Post.objects.visible_to(follower)
        .filter(author_id=followee_id, community__isnull=True)
        .order_by("-id")
        .values_list("id", flat=True)[:BACKFILL_POSTS]
    )
    FeedEntry.objects.bulk_create(
        [FeedEntry(owner_id=follower_id, post_id=pid, author_id=followee_id) for pid in recent],
        ignore_conflicts=True,
    )
    # And their latest shares of posts the follower may see and has not got yet.
    shares = list(
        Boost.objects.filter(booster_id=followee_id)
        .exclude(
            Exists(FeedEntry.objects.filter(owner_id=follower_id, post_id=OuterRef("post_id")))
        )
        .order_by("-id")
        .values_list("id", "post_id")[:BACKFILL_POSTS]
    )
    readable = set(
        Post.objects.visible_to(follower)
        .filter(pk__in=[pid for _, pid in shares])
        .values_list("pk", flat=True)
    )
    BoostEntry.objects.bulk_create(
        [
            BoostEntry(owner_id=follower_id, boost_id=bid, post_id=pid)
            for bid, pid in shares
            if pid in readable
        ],
        ignore_conflicts=True,
    )


def feed_remove_author(
    *, owner_id: int, author_id: int, audiences: Iterable[str] | None = None
) -> None:
    """Take `author_id`'s posts (of the given audiences, or all) out of one home feed.

    With all audiences (an unfollow, a block), what they shared goes too.
    """
    entries = FeedEntry.objects.filter(owner_id=owner_id, author_id=author_id)
    if audiences is not None:
        entries = entries.filter(post__audience__in=list(audiences))
    entries.delete()
    if audiences is None:
        BoostEntry.objects.filter(owner_id=owner_id, boost__booster_id=author_id).delete()


def feed_remove_community(*, owner_id: int, community_id: int) -> int:
    """Take a community's posts out of the home feed of someone who left it or was banned.

    They reached that feed through the membership (followers who are not
    members never get community posts at home); one's own posts stay.
    Shares by people one follows stay too: they came by the follow.
    Returns how many entries went.
    """
    deleted, _ = (
        FeedEntry.objects.filter(owner_id=owner_id, post__community_id=community_id)
        .exclude(author_id=owner_id)
        .delete()
    )
    return deleted


def feed_remove_banned(*, log_id: int) -> int:
    """After a community ban (moderation log entry `log_id`): its posts leave their home feed."""
    entry = LogEntry.objects.filter(pk=log_id, action=LogEntry.Action.BAN).first()
    if entry is None or entry.target_user_id is None:
        return 0
    return feed_remove_community(owner_id=entry.target_user_id, community_id=entry.community_id)


def feed_remove_post(*, post_id: int) -> None:
    FeedEntry.objects.filter(post_id=post_id).delete()
    BoostEntry.objects.filter(post_id=post_id).delete()


def boost_fanout(*, boost_id: int) -> int:
    """Put a share into the home feed of the booster and of each of their accepted followers.

    A feed that has the post already (as a FeedEntry, or by an earlier
    share) is skipped: a post shows once in a home feed, where it first
    arrived. Returns the number of entries written; a share since taken
    back, or of a post since deleted, writes nothing. One INSERT ... SELECT,
    as feed_fanout.
    """
    boost = Boost.objects.select_related("post").filter(pk=boost_id).first()
    if boost is None or boost.post.is_deleted:
        return 0
    followers = Follow.objects.filter(
        followee_id=boost.booster_id, state=Follow.State.ACCEPTED
    ).values("follower_id")
    select_sql, params = followers.query.sql_with_params()
    connection = connections[BoostEntry.objects.db]
    table = connection.ops.quote_name(BoostEntry._meta.db_table)
    feed_table = connection.ops.quote_name(FeedEntry._meta.db_table)
    sql = (
        f"INSERT INTO {table} (owner_id, boost_id, post_id) "  # noqa: S608 (names from model meta)
        f"SELECT s.follower_id, %s, %s FROM "
        f"(SELECT %s AS follower_id UNION ALL {select_sql}) AS s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {feed_table} f "
        "WHERE f.owner_id = s.follower_id AND f.post_id = %s) "
        "ON CONFLICT (owner_id, post_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [boost.pk, boost.post_id, boost.booster_id, *params, boost.post_id])
        return max(int(cursor.rowcount), 0)


def feed_mark_seen(*, user: User, post_id: int) -> None:
    """Move the caught-up line forward to `post_id`; it never moves back."""
    marker, _ = FeedMarker.objects.get_or_create(user=user)
    if post_id > marker.last_seen_post_id:
        FeedMarker.objects.filter(pk=user.pk, last_seen_post_id__lt=post_id).update(
            last_seen_post_id=post_id, updated_at=timezone.now()
        )


def _silenced(recipient_id: int, actor_id: int) -> bool:
    """True if the recipient blocks or mutes the actor, or the actor blocks them."""
    return (
        Block.objects.filter(
            Q(blocker_id=recipient_id, blocked_id=actor_id)
            | Q(blocker_id=actor_id, blocked_id=recipient_id)
        ).exists()
        or Mute.objects.filter(muter_id=recipient_id, muted_id=actor_id).exists()
    )


def _announce(recipient_id: int, notification_id: int) -> None:
    """Tell the recipient's pages and streams once the notification is committed (feeds.live)."""
    transaction.on_commit(
        lambda: announce_notification(recipient_id=recipient_id, notification_id=notification_id),
        robust=True,
    )


def _notify(
    *,
    recipient_id: int,
    actor_id: int,
    kind: str,
    source_key: str,
    at: datetime,
    post: Post | None = None,
    reaction_kind: str = "",
    community_id: int | None = None,
    note: str = "",
) -> None:
    """Record one notification, dated when its cause happened (not when a worker got to it)."""
    if recipient_id == actor_id or _silenced(recipient_id, actor_id):
        return
    notification, created = Notification.objects.get_or_create(
        recipient_id=recipient_id,
        source_key=source_key,
        defaults={
            "id": snowflake(at=at.timestamp()),
            "created_at": at,
            "actor_id": actor_id,
            "kind": kind,
            "post": post,
            "reaction_kind": reaction_kind,
            "community_id": community_id,
            "note": note,
        },
    )
    if created:
        _announce(recipient_id, notification.pk)


def notify_follow(*, follow_id: int, requested: bool = False) -> None:
    """Tell the followee of a new follower, or the requester that they were accepted."""
    follow = Follow.objects.filter(pk=follow_id).first()
    if follow is None:
        return
    if follow.state == Follow.State.PENDING:
        _notify(
            recipient_id=follow.followee_id,
            actor_id=follow.follower_id,
            kind=Notification.Kind.FOLLOW_REQUEST,
            source_key=f"follow-request:{follow.pk}",
            at=follow.created_at,
        )
        return
    _notify(
        recipient_id=follow.followee_id,
        actor_id=follow.follower_id,
        kind=Notification.Kind.FOLLOW,
        source_key=f"follow:{follow.pk}",
        at=follow.created_at,
    )
    if requested:
        _notify(
            recipient_id=follow.follower_id,
            actor_id=follow.followee_id,
            kind=Notification.Kind.FOLLOW_ACCEPTED,
            source_key=f"follow-accepted:{follow.pk}",
            at=timezone.now(),
        )


def notify_post(*, post_id: int) -> None:
    """Tell the parent's author of a reply and each mentioned person of a mention.

    Someone both replied to and mentioned gets one notification (the reply).
    Nobody is told of a post they may not see.
    """
    post = Post.objects.live().select_related("in_reply_to__author").filter(pk=post_id).first()
    if post is None:
        return
    recipients: dict[int, tuple[User, str]] = {}
    for mention in post.mentions.select_related("user"):
        recipients[mention.user_id] = (mention.user, Notification.Kind.MENTION)
    if post.in_reply_to is not None:
        parent_author = post.in_reply_to.author
        recipients[parent_author.pk] = (parent_author, Notification.Kind.REPLY)
    for recipient, kind in recipients.values():
        if Post.objects.visible_to(recipient).filter(pk=post.pk).exists():
            _notify(
                recipient_id=recipient.pk,
                actor_id=post.author_id,
                kind=kind,
                source_key=f"post:{post.pk}",
                at=post.created_at,
                post=post,
            )


def notify_reaction(*, reaction_id: int) -> None:
    reaction = Reaction.objects.select_related("post").filter(pk=reaction_id).first()
    if reaction is None or reaction.post.is_deleted:
        return
    _notify(
        recipient_id=reaction.post.author_id,
        actor_id=reaction.user_id,
        kind=Notification.Kind.REACTION,
        source_key=f"reaction:{reaction.pk}",
        at=reaction.created_at,
        post=reaction.post,
        reaction_kind=reaction.kind,
    )


def notify_boost(*, boost_id: int) -> None:
    """Tell a post's author that someone shared it: once per person and post.

    The key is the pair, not the share, so sharing, taking it back and
    sharing again does not tell the author twice. Nothing for one's own
    post, a deleted one, or across a block or mute (_notify).
    """
    boost = Boost.objects.select_related("post").filter(pk=boost_id).first()
    if boost is None or boost.post.is_deleted:
        return
    _notify(
        recipient_id=boost.post.author_id,
        actor_id=boost.booster_id,
        kind=Notification.Kind.REBLOG,
        source_key=f"boost:{boost.post_id}:{boost.booster_id}",
        at=boost.created_at,
        post=boost.post,
    )


def notifications_forget_post(*, post_id: int) -> None:
    Notification.objects.filter(post_id=post_id).delete()


def notifications_mark_read(*, user: User, up_to_id: int | None = None) -> int:
    """Mark the user's unread notifications (up to an id, if given) as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if up_to_id is not None:
        unread = unread.filter(pk__lte=up_to_id)
    with transaction.atomic():
        return unread.update(read_at=timezone.now())


def notifications_clear(*, user: User) -> int:
    """Delete all of the user's notifications. Returns how many."""
    deleted, _ = Notification.objects.filter(recipient=user).delete()
    return deleted


def notification_dismiss(*, user: User, notification_id: int) -> bool:
    """Delete one of the user's notifications; False if they have none with that id."""
    deleted, _ = Notification.objects.filter(recipient=user, pk=notification_id).delete()
    return deleted > 0


def notify_post_removed(*, log_id: int) -> None:
    """Tell an author that moderators removed their post, with the reason."""
    entry = LogEntry.objects.select_related("post").filter(pk=log_id).first()
    if entry is None or entry.post is None or entry.actor_id is None:
        return
    _notify_always(
        recipient_id=entry.post.author_id,
        actor_id=entry.actor_id,
        kind=Notification.Kind.POST_REMOVED,
        source_key=f"removed:{entry.pk}",
        at=entry.created_at,
        post=entry.post,
        community_id=entry.community_id,
        note=entry.reason,
    )


def notify_restricted(*, log_id: int) -> None:
    """Tell someone a community's moderators muted or banned them: until when, and why.

    Sent even if they muted the moderator (as a removal is): a person must
    know why they can no longer post, and a banned person can't read a
    private community's log to find out.
    """
    entry = LogEntry.objects.filter(pk=log_id).first()
    if entry is None or entry.actor_id is None or entry.target_user_id is None:
        return
    banned = entry.action == LogEntry.Action.BAN
    _notify_always(
        recipient_id=entry.target_user_id,
        actor_id=entry.actor_id,
        kind=Notification.Kind.BANNED if banned else Notification.Kind.MUTED,
        source_key=f"restricted:{entry.pk}",
        at=entry.created_at,
        community_id=entry.community_id,
        note=entry.reason,
        until=None if entry.until is None or entry.until >= FOR_GOOD else entry.until,
    )


def notify_join_decided(*, community_id: int, user_id: int, approved: bool) -> None:
    """Tell someone their request to join was approved or declined (by the community)."""
    entry = (
        LogEntry.objects.filter(
            community_id=community_id,
            target_user_id=user_id,
            action=LogEntry.Action.APPROVE if approved else LogEntry.Action.DECLINE,
        )
        .order_by("-id")
        .first()
    )
    if entry is None or entry.actor_id is None:
        return
    _notify_always(
        recipient_id=user_id,
        actor_id=entry.actor_id,
        kind=Notification.Kind.JOIN_APPROVED if approved else Notification.Kind.JOIN_DECLINED,
        source_key=f"join:{entry.pk}",
        at=entry.created_at,
        community_id=community_id,
    )


def notify_role(*, community_id: int, user_id: int, role: str) -> None:
    """Tell a member the owner made them a moderator, mentor or owner (not a step down)."""
    if role not in (Membership.Role.MODERATOR, Membership.Role.MENTOR, Membership.Role.OWNER):
        return
    entry = (
        LogEntry.objects.filter(community_id=community_id, target_user_id=user_id)
        .filter(action__in=[LogEntry.Action.APPOINT, LogEntry.Action.TRANSFER])
        .order_by("-id")
        .first()
    )
    if entry is None or entry.actor_id is None:
        return
    _notify_always(
        recipient_id=user_id,
        actor_id=entry.actor_id,
        kind=Notification.Kind.ROLE,
        source_key=f"role:{entry.pk}",
        at=entry.created_at,
        community_id=community_id,
        note=Membership.Role(role).label,
    )


def notify_mentorship(*, request_id: int, ended_by_id: int | None = None) -> None:
    """A match tells both sides; an ending tells the other side."""
    request = MentorRequest.objects.filter(pk=request_id).first()
    if request is None or request.mentor_id is None:
        return
    pair = (request.mentee_id, request.mentor_id)
    if ended_by_id is None:
        at = request.accepted_at or timezone.now()
        for recipient, actor in (pair, pair[::-1]):
            _notify_always(
                recipient_id=recipient,
                actor_id=actor,
                kind=Notification.Kind.MENTOR_MATCHED,
                source_key=f"mentor:{request.pk}",
                at=at,
                community_id=request.community_id,
                note=request.topic,
            )
        return
    other = pair[1] if ended_by_id == pair[0] else pair[0]
    _notify_always(
        recipient_id=other,
        actor_id=ended_by_id,
        kind=Notification.Kind.MENTOR_ENDED,
        source_key=f"mentor-ended:{request.pk}",
        at=request.ended_at or timezone.now(),
        community_id=request.community_id,
        note=request.topic,
    )


def _notify_always(*, recipient_id: int, actor_id: int, **fields: object) -> None:
    """A notification about someone's standing (removal, a decision): sent even to a muter.

    Muting a moderator must not hide the reason a post was removed; a block
    still silences it, as everywhere.
    """
    if recipient_id == actor_id:
        return
    if Block.objects.filter(
        Q(blocker_id=recipient_id, blocked_id=actor_id)
        | Q(blocker_id=actor_id, blocked_id=recipient_id)
    ).exists():
        return
    at = fields.pop("at")
    assert isinstance(at, datetime)
    source_key = fields.pop("source_key")
    notification, created = Notification.objects.get_or_create(
        recipient_id=recipient_id,
        source_key=source_key,
        defaults={
            "id": snowflake(at=at.timestamp()),
            "created_at": at,
            "actor_id": actor_id,
            **fields,
        },
    )
    if created:
        _announce(recipient_id, notification.pk)


# --- gatherings ------------------------------------------------------------------
# About someone's plans, so sent even to a person who muted the host (as
# _notify_always); a block still silences them.


def notify_gathering_promoted(*, gathering_id: int, user_id: int) -> None:
    """Tell someone they moved from the waitlist to going (if they still are)."""
    rsvp = (
        Rsvp.objects.select_related("gathering")
        .filter(gathering_id=gathering_id, user_id=user_id, state=Rsvp.State.GOING)
        .first()
    )
    if rsvp is None or rsvp.gathering.is_cancelled:
        return
    gathering = rsvp.gathering
    _notify_always(
        recipient_id=user_id,
        actor_id=gathering.host_id,
        kind=Notification.Kind.GATHERING_PROMOTED,
        source_key=f"gathering-promoted:{gathering.pk}:{int(rsvp.updated_at.timestamp())}",
        at=rsvp.updated_at,
        gathering=gathering,
        community_id=gathering.community_id,
    )


def notify_gathering_cancelled(*, gathering_id: int, cancelled_by_id: int) -> None:
    """Tell the host and everyone who answered going, maybe or waitlisted (not the canceller)."""
    gathering = Gathering.objects.filter(pk=gathering_id, cancelled_at__isnull=False).first()
    if gathering is None or gathering.cancelled_at is None:
        return
    recipients = set(
        Rsvp.objects.filter(gathering=gathering)
        .exclude(state=Rsvp.State.CANT)
        .values_list("user_id", flat=True)
    )
    recipients.add(gathering.host_id)
    for recipient_id in recipients:
        _notify_always(
            recipient_id=recipient_id,
            actor_id=cancelled_by_id,
            kind=Notification.Kind.GATHERING_CANCELLED,
            source_key=f"gathering-cancelled:{gathering.pk}",
            at=gathering.cancelled_at,
            gathering=gathering,
            community_id=gathering.community_id,
        )


def notify_gathering_reminder(*, gathering_id: int, kind: str, starts_at: int) -> None:
    """Remind people going or maybe, once per (gathering, start time, "day" or "hour").

    Skipped if the gathering was cancelled or moved since the reminder fell due
    (a moved one gets its own reminders).
    """
    gathering = Gathering.objects.filter(pk=gathering_id, cancelled_at__isnull=True).first()
    if gathering is None or int(gathering.starts_at.timestamp()) != starts_at:
        return
    recipients = Rsvp.objects.filter(
        gathering=gathering, state__in=[Rsvp.State.GOING, Rsvp.State.MAYBE]
    ).values_list("user_id", flat=True)
    now = timezone.now()
    for recipient_id in recipients:
        _notify_always(
            recipient_id=recipient_id,
            actor_id=gathering.host_id,
            kind=Notification.Kind.GATHERING_REMINDER,
            source_key=f"gathering-reminder:{gathering.pk}:{kind}:{starts_at}",
            at=now,
            gathering=gathering,
            community_id=gathering.community_id,
            note=kind,
        )


def notify_gathering_suggestion(*, community_id: int) -> None:
    """Gently suggest to a community's owner and moderators that they host a gathering.

    Nobody sent it, so each moderator is their own actor (the page does not
    name one).
    """
    suggestion = CommunitySuggestion.objects.filter(community_id=community_id).first()
    if suggestion is None:
        return
    moderators = (
        Membership.objects.filter(
            community_id=community_id,
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.OWNER, Membership.Role.MODERATOR],
        )
        .exclude(banned_until__gt=timezone.now())
        .values_list("user_id", flat=True)
    )
    at = suggestion.suggested_at
    for user_id in moderators:
        Notification.objects.get_or_create(
            recipient_id=user_id,
            source_key=f"gathering-suggestion:{community_id}:{int(at.timestamp())}",
            defaults={
                "id": snowflake(at=at.timestamp()),
                "created_at": at,
                "actor_id": user_id,
                "kind": Notification.Kind.GATHERING_SUGGESTION,
                "community_id": community_id,
            },
        )


# --- support ------------------------------------------------------------------------


def _notify_self(*, recipient_id: int, kind: str, source_key: str, at: datetime) -> None:
    """A notification Hearth itself sends (a check-in, a caring message): its own actor.

    The page names no actor for these kinds; a caring message must never
    reveal who asked for it.
    """
    notification, created = Notification.objects.get_or_create(
        recipient_id=recipient_id,
        source_key=source_key,
        defaults={
            "id": snowflake(at=at.timestamp()),
            "created_at": at,
            "actor_id": recipient_id,
            "kind": kind,
        },
    )
    if created:
        _announce(recipient_id, notification.pk)


def notify_support_routed(*, route_id: int) -> None:
    """Tell a supporter a request was routed to them, if they still hold it and may read it."""
    route = (
        Route.objects.select_related("request__post", "supporter")
        .filter(pk=route_id, state=Route.State.ROUTED)
        .first()
    )
    if route is None:
        return
    post = route.request.post
    if not Post.objects.visible_to(route.supporter).filter(pk=post.pk).exists():
        return
    _notify(
        recipient_id=route.supporter_id,
        actor_id=post.author_id,
        kind=Notification.Kind.SUPPORT_ROUTED,
        source_key=f"support-routed:{route.request_id}",
        at=route.created_at,
        post=post,
        community_id=route.community_id,
    )


def notify_support_checkin(*, request_id: int) -> None:
    """Ask the asker, gently, how they are doing (once per request and time it was set for)."""
    request = SupportRequest.objects.filter(
        pk=request_id, checkin_sent_at__isnull=False, checkin_answered_at__isnull=True
    ).first()
    if request is None or request.checkin_sent_at is None:
        return
    _notify_self(
        recipient_id=request.asker_id,
        kind=Notification.Kind.SUPPORT_CHECKIN,
        source_key=f"support-checkin:{request.pk}:{int(request.checkin_sent_at.timestamp())}",
        at=request.checkin_sent_at,
    )


def notify_worried(*, worried_id: int) -> None:
    """Show the author a caring message. Nothing in it names or hints at who asked."""
    worried = WorriedRequest.objects.filter(pk=worried_id, delivered=True).first()
    if worried is None:
        return
    _notify_self(
        recipient_id=worried.author_id,
        kind=Notification.Kind.WORRIED,
        source_key=f"worried:{worried.pk}",
        at=worried.created_at,
    )


# --- milestones ---------------------------------------------------------------------


def notify_milestone_anniversary(*, reminder_id: int, year: int) -> None:
    """Remind someone of a milestone's anniversary in `year`, once (hearth.posts.milestones).

    Skipped if the reminder was withdrawn, the post deleted, or its reader
    may no longer read it; a block or mute between them silences it too.
    """
    from hearth.posts.models import MilestoneReminder

    reminder = (
        MilestoneReminder.objects.select_related("milestone__post", "user")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None:
        return
    milestone = reminder.milestone
    post = milestone.post
    if not Post.objects.visible_to(reminder.user).filter(pk=post.pk).exists():
        return
    _notify(
        recipient_id=reminder.user_id,
        actor_id=post.author_id,
        kind=Notification.Kind.MILESTONE_ANNIVERSARY,
        source_key=f"milestone:{milestone.pk}:{year}",
        at=timezone.now(),
        post=post,
        note=str(year - milestone.date.year),
    )
