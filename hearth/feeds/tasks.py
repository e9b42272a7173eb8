"""Background work for feeds and notifications. Each task takes ids, reloads,
and calls an idempotent service, so a retried or duplicated task is harmless."""

from __future__ import annotations

from django_tasks import task

from hearth.feeds import live, services
from hearth.posts.boosts import boosts_forget_post, boosts_remove_across_block


@task()
def fanout_post(post_id: int) -> None:
    services.feed_fanout(post_id=post_id)
    services.notify_post(post_id=post_id)
    live.announce_new_post(post_id=post_id)


@task()
def forget_post(post_id: int) -> None:
    # Before the feed entries go: they say whose streams had the post.
    live.announce_post_deleted(post_id=post_id)
    services.feed_remove_post(post_id=post_id)
    services.notifications_forget_post(post_id=post_id)
    boosts_forget_post(post_id=post_id)


@task()
def fanout_boost(boost_id: int) -> None:
    services.boost_fanout(boost_id=boost_id)
    services.notify_boost(boost_id=boost_id)
    live.announce_new_boost(boost_id=boost_id)


@task()
def boost_removed(boost_id: int, booster_id: int) -> None:
    live.announce_boost_removed(boost_id=boost_id, booster_id=booster_id)


@task()
def boosts_across_block(blocker_id: int, blocked_id: int) -> None:
    boosts_remove_across_block(blocker_id=blocker_id, blocked_id=blocked_id)


@task()
def post_edited(post_id: int) -> None:
    live.announce_post_edited(post_id=post_id)


@task()
def follow_started(follow_id: int, follower_id: int, followee_id: int, requested: bool) -> None:
    services.feed_backfill(follower_id=follower_id, followee_id=followee_id)
    services.notify_follow(follow_id=follow_id, requested=requested)


@task()
def notifications_released(user_ids: list[int]) -> None:
    live.announce_released(user_ids=user_ids)


@task()
def follow_requested(follow_id: int) -> None:
    services.notify_follow(follow_id=follow_id)


@task()
def remove_author_from_feed(owner_id: int, author_id: int, audiences: list[str] | None) -> None:
    services.feed_remove_author(owner_id=owner_id, author_id=author_id, audiences=audiences)


@task()
def reaction_added(reaction_id: int) -> None:
    services.notify_reaction(reaction_id=reaction_id)


@task()
def post_removed(log_id: int) -> None:
    services.notify_post_removed(log_id=log_id)


@task()
def membership_left(community_id: int, user_id: int) -> None:
    services.feed_remove_community(owner_id=user_id, community_id=community_id)


@task()
def member_restricted(log_id: int) -> None:
    services.notify_restricted(log_id=log_id)
    services.feed_remove_banned(log_id=log_id)


@task()
def join_decided(community_id: int, user_id: int, approved: bool) -> None:
    services.notify_join_decided(community_id=community_id, user_id=user_id, approved=approved)


@task()
def role_changed(community_id: int, user_id: int, role: str) -> None:
    services.notify_role(community_id=community_id, user_id=user_id, role=role)


@task()
def mentorship(request_id: int, ended_by_id: int | None) -> None:
    services.notify_mentorship(request_id=request_id, ended_by_id=ended_by_id)


@task()
def gathering_promoted(gathering_id: int, user_id: int) -> None:
    services.notify_gathering_promoted(gathering_id=gathering_id, user_id=user_id)


@task()
def gathering_cancelled(gathering_id: int, cancelled_by_id: int) -> None:
    services.notify_gathering_cancelled(gathering_id=gathering_id, cancelled_by_id=cancelled_by_id)


@task()
def gathering_reminder(gathering_id: int, kind: str, starts_at: int) -> None:
    services.notify_gathering_reminder(gathering_id=gathering_id, kind=kind, starts_at=starts_at)


@task()
def gathering_suggested(community_id: int) -> None:
    services.notify_gathering_suggestion(community_id=community_id)


@task()
def support_routed(route_id: int) -> None:
    services.notify_support_routed(route_id=route_id)


@task()
def support_checkin(request_id: int) -> None:
    services.notify_support_checkin(request_id=request_id)


@task()
def worried(worried_id: int) -> None:
    services.notify_worried(worried_id=worried_id)


@task()
def milestone_anniversary(reminder_id: int, year: int) -> None:
    services.notify_milestone_anniversary(reminder_id=reminder_id, year=year)
