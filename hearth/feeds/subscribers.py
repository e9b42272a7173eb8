"""Domain events in, background tasks out."""

from __future__ import annotations

from hearth.accounts.events import (
    BlockCreated,
    CircleMemberRemoved,
    FollowEnded,
    FollowRequested,
    FollowStarted,
)
from hearth.accounts.models import Follow
from hearth.communities.events import (
    JoinDecided,
    MemberRestricted,
    MembershipLeft,
    MentorshipEnded,
    MentorshipStarted,
    PostRemoved,
    RoleChanged,
)
from hearth.core.events import subscriber
from hearth.feeds import tasks
from hearth.gatherings.events import (
    GatheringCancelled,
    GatheringReminderDue,
    GatheringSuggested,
    RsvpPromoted,
)
from hearth.posts.events import (
    BoostCreated,
    BoostRemoved,
    MilestoneAnniversaryDue,
    PostDeleted,
    PostEdited,
    PostPublished,
    ReactionAdded,
)
from hearth.posts.models import Audience
from hearth.support.events import CheckInDue, SupporterRouted, WorriedDelivered
from hearth.wellbeing.events import NotificationsReleased


@subscriber(PostPublished)
def on_post_published(event: PostPublished) -> None:
    tasks.fanout_post.enqueue(event.post_id)


@subscriber(PostDeleted)
def on_post_deleted(event: PostDeleted) -> None:
    tasks.forget_post.enqueue(event.post_id)


@subscriber(PostEdited)
def on_post_edited(event: PostEdited) -> None:
    tasks.post_edited.enqueue(event.post_id)


@subscriber(BoostCreated)
def on_boost_created(event: BoostCreated) -> None:
    tasks.fanout_boost.enqueue(event.boost_id)


@subscriber(BoostRemoved)
def on_boost_removed(event: BoostRemoved) -> None:
    # The share's feed entries went with it (a cascade); its streams are told.
    tasks.boost_removed.enqueue(event.boost_id, event.booster_id)


@subscriber(FollowStarted)
def on_follow_started(event: FollowStarted) -> None:
    follow = Follow.objects.filter(pk=event.follow_id).first()
    if follow is not None:
        tasks.follow_started.enqueue(
            event.follow_id, follow.follower_id, follow.followee_id, event.requested
        )


@subscriber(FollowRequested)
def on_follow_requested(event: FollowRequested) -> None:
    tasks.follow_requested.enqueue(event.follow_id)


@subscriber(FollowEnded)
def on_follow_ended(event: FollowEnded) -> None:
    # Public posts stay readable on the profile, but the home feed is for
    # people you follow, so all of theirs leave it.
    tasks.remove_author_from_feed.enqueue(event.follower_id, event.followee_id, None)


@subscriber(BlockCreated)
def on_block(event: BlockCreated) -> None:
    tasks.remove_author_from_feed.enqueue(event.blocker_id, event.blocked_id, None)
    tasks.remove_author_from_feed.enqueue(event.blocked_id, event.blocker_id, None)
    tasks.boosts_across_block.enqueue(event.blocker_id, event.blocked_id)


@subscriber(CircleMemberRemoved)
def on_circle_removed(event: CircleMemberRemoved) -> None:
    tasks.remove_author_from_feed.enqueue(event.member_id, event.owner_id, [Audience.CIRCLE.value])


@subscriber(ReactionAdded)
def on_reaction(event: ReactionAdded) -> None:
    tasks.reaction_added.enqueue(event.reaction_id)


@subscriber(PostRemoved)
def on_post_removed(event: PostRemoved) -> None:
    tasks.post_removed.enqueue(event.log_id)


@subscriber(MemberRestricted)
def on_member_restricted(event: MemberRestricted) -> None:
    tasks.member_restricted.enqueue(event.log_id)


@subscriber(MembershipLeft)
def on_membership_left(event: MembershipLeft) -> None:
    tasks.membership_left.enqueue(event.community_id, event.user_id)


@subscriber(JoinDecided)
def on_join_decided(event: JoinDecided) -> None:
    tasks.join_decided.enqueue(event.community_id, event.user_id, event.approved)


@subscriber(RoleChanged)
def on_role_changed(event: RoleChanged) -> None:
    tasks.role_changed.enqueue(event.community_id, event.user_id, event.role)


@subscriber(MentorshipStarted)
def on_mentorship_started(event: MentorshipStarted) -> None:
    tasks.mentorship.enqueue(event.request_id, None)


@subscriber(MentorshipEnded)
def on_mentorship_ended(event: MentorshipEnded) -> None:
    tasks.mentorship.enqueue(event.request_id, event.ended_by_id)


@subscriber(RsvpPromoted)
def on_rsvp_promoted(event: RsvpPromoted) -> None:
    tasks.gathering_promoted.enqueue(event.gathering_id, event.user_id)


@subscriber(GatheringCancelled)
def on_gathering_cancelled(event: GatheringCancelled) -> None:
    tasks.gathering_cancelled.enqueue(event.gathering_id, event.cancelled_by_id)


@subscriber(GatheringReminderDue)
def on_gathering_reminder(event: GatheringReminderDue) -> None:
    tasks.gathering_reminder.enqueue(event.gathering_id, event.kind, event.starts_at)


@subscriber(GatheringSuggested)
def on_gathering_suggested(event: GatheringSuggested) -> None:
    tasks.gathering_suggested.enqueue(event.community_id)


@subscriber(SupporterRouted)
def on_supporter_routed(event: SupporterRouted) -> None:
    tasks.support_routed.enqueue(event.route_id)


@subscriber(CheckInDue)
def on_checkin_due(event: CheckInDue) -> None:
    tasks.support_checkin.enqueue(event.request_id)


@subscriber(WorriedDelivered)
def on_worried(event: WorriedDelivered) -> None:
    tasks.worried.enqueue(event.worried_id)


@subscriber(MilestoneAnniversaryDue)
def on_milestone_anniversary(event: MilestoneAnniversaryDue) -> None:
    tasks.milestone_anniversary.enqueue(event.reminder_id, event.year)


@subscriber(NotificationsReleased)
def on_notifications_released(event: NotificationsReleased) -> None:
    tasks.notifications_released.enqueue(list(event.user_ids))
