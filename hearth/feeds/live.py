"""Live updates from feeds and posts (core.live): the pages' markers and the Mastodon streams.

Called after the change is committed (a task's own work, or on_commit).
Only ids, a kind and a count travel: whoever subscribes reloads the thing
through the usual access checks (the pages follow a link; the streaming
API, hearth.api.streaming, renders each post for each subscriber after
checking that they may see it).

Channels and events:

* `user:<id>`: `feed` {post} to everyone whose home feed just got a post
  (the pages' "New posts" marker), `feed.own` {post} to its author,
  `notification` {unread, id} (and {unread, released: "quiet", "daily" or
  "weekly"} when held notifications arrive: announce_released), and
  `status.update` / `status.delete` {post} for posts in that person's
  home feed; a share (posts.boosts) comes as `feed` / `feed.own` {post,
  boost}, and a share taken back, or of a deleted post, as `status.delete` {post: the share's id};
* `public`, `public:local`, `hashtag:<tag>`: `status.new`, `status.update`
  {post} for public posts outside private communities, and
  `status.delete` {post} on `public` and `public:local`, as the tags of a
  deleted post are gone.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from hearth.accounts.models import Follow, User
from hearth.core import live
from hearth.feeds.models import BoostEntry, FeedEntry, Notification
from hearth.feeds.selectors import unread_count
from hearth.posts.models import Audience, Boost, Post
from hearth.wellbeing.models import Preferences
from hearth.wellbeing.quiet import NO_HOLD, hold_at
from hearth.wellbeing.selectors import notification_hold

PUBLIC_CHANNELS = ("public", "public:local")


def _public_place(post: Post) -> bool:
    """A public post outside any private community: what public streams may carry."""
    if post.audience != Audience.PUBLIC or post.removed_at is not None:
        return False
    community = post.community
    return community is None or community.visibility == "public"


def _owners(post_id: int) -> list[int]:
    """Everyone with `post_id` in their home feed, its author included, by a share too."""
    direct = FeedEntry.objects.filter(post_id=post_id).values_list("owner_id", flat=True)
    shared = BoostEntry.objects.filter(post_id=post_id).values_list("owner_id", flat=True)
    return [*direct, *shared]


def announce_new_post(*, post_id: int) -> int:
    """Tell everyone whose home feed just got `post_id`, and the public streams if it is public.

    Its author gets `feed.own` (the pages show no marker for one's own post;
    the Mastodon user stream shows it). Returns how many home feeds were
    told. Two queries and one Redis round trip per event kind.
    """
    if not live.delivers():
        return 0
    owners = list(
        FeedEntry.objects.filter(post_id=post_id)
        .exclude(owner_id=F("author_id"))
        .values_list("owner_id", flat=True)
    )
    data = {"post": str(post_id)}
    live.publish_many([f"user:{owner}" for owner in owners], "feed", data)
    post = Post.objects.live().select_related("community").filter(pk=post_id).first()
    if post is None:
        return len(owners)
    live.publish(f"user:{post.author_id}", "feed.own", data)
    if _public_place(post):
        tags = post.tags.values_list("tag", flat=True)
        live.publish_many(
            [*PUBLIC_CHANNELS, *(f"hashtag:{tag}" for tag in tags)], "status.new", data
        )
    return len(owners)


def announce_post_edited(*, post_id: int) -> None:
    """Send `status.update` for an edited post to its home feeds and, if public, public streams."""
    if not live.delivers():
        return
    post = Post.objects.live().select_related("community").filter(pk=post_id).first()
    if post is None:
        return
    channels = [f"user:{owner}" for owner in {post.author_id, *_owners(post_id)}]
    if _public_place(post):
        tags = post.tags.values_list("tag", flat=True)
        channels += [*PUBLIC_CHANNELS, *(f"hashtag:{tag}" for tag in tags)]
    live.publish_many(channels, "status.update", {"post": str(post_id)})


def announce_post_deleted(*, post_id: int) -> None:
    """Send `status.delete` for a deleted post to its home feeds and, if public, public streams.

    Call it before the feed entries are removed: they say who had the post.
    A deleted post keeps its row (author, audience), so both are known.
    """
    if not live.delivers():
        return
    post = Post.objects.select_related("community").filter(pk=post_id).first()
    if post is None:
        return
    channels = [f"user:{owner}" for owner in {post.author_id, *_owners(post_id)}]
    if _public_place(post):
        channels += PUBLIC_CHANNELS
    live.publish_many(channels, "status.delete", {"post": str(post_id)})
    # Clients hold a share as a status of its own (Mastodon's reblog): it goes too.
    shares: dict[int, list[str]] = {}
    for owner, boost_id in BoostEntry.objects.filter(post_id=post_id).values_list(
        "owner_id", "boost_id"
    ):
        shares.setdefault(boost_id, []).append(f"user:{owner}")
    for boost_id, boost_channels in shares.items():
        live.publish_many(boost_channels, "status.delete", {"post": str(boost_id)})


def announce_new_boost(*, boost_id: int) -> int:
    """Tell everyone whose home feed just got a share: `feed` {post, boost}; its booster `feed.own`.

    Returns how many home feeds were told (the booster's not counted).
    """
    if not live.delivers():
        return 0
    boost = Boost.objects.filter(pk=boost_id).values_list("booster_id", "post_id").first()
    if boost is None:
        return 0
    booster_id, post_id = boost
    owners = set(BoostEntry.objects.filter(boost_id=boost_id).values_list("owner_id", flat=True))
    data = {"post": str(post_id), "boost": str(boost_id)}
    others = sorted(owners - {booster_id})
    live.publish_many([f"user:{owner}" for owner in others], "feed", data)
    if booster_id in owners:
        live.publish(f"user:{booster_id}", "feed.own", data)
    return len(others)


def announce_boost_removed(*, boost_id: int, booster_id: int) -> None:
    """Send `status.delete` {post: the share's id} to the booster and their followers.

    The share's feed entries are gone already (a cascade), so its readers
    are taken to be the booster's followers now; for anyone without it the
    event changes nothing.
    """
    if not live.delivers():
        return
    followers = Follow.objects.filter(
        followee_id=booster_id, state=Follow.State.ACCEPTED
    ).values_list("follower_id", flat=True)
    channels = [f"user:{owner}" for owner in {booster_id, *followers}]
    live.publish_many(channels, "status.delete", {"post": str(boost_id)})


def announce_notification(*, recipient_id: int, notification_id: int | None = None) -> None:
    """Send the recipient's unread count (the pages' badge) and the notification's id (the API).

    Nothing is sent for a notification that quiet hours or a digest hold:
    it arrives with the summary, not as a live ping.
    """
    if not live.delivers():
        return
    user = User.objects.filter(pk=recipient_id, is_active=True).first()
    if user is None:
        return
    hold = notification_hold(user_id=recipient_id, now=timezone.now())
    if notification_id is not None:
        made = (
            Notification.objects.filter(pk=notification_id)
            .values_list("created_at", "kind")
            .first()
        )
        if made is not None and hold.holds(made[0], made[1]):
            return
    data: dict[str, object] = {"unread": unread_count(user=user, hold=hold)}
    if notification_id is not None:
        data["id"] = str(notification_id)
    live.publish(f"user:{recipient_id}", "notification", data)


def announce_released(*, user_ids: list[int]) -> int:
    """Send each person their unread count now that held notifications arrived.

    `notification` {unread, released}: `released` is why they were held
    ("quiet", "daily", "weekly"); the pages update the badge and the
    notifications page's "waiting" notice. No `id`, so Mastodon streams
    ignore it (their clients list notifications themselves). Only people
    with a page or stream open now are counted (live.listening: one round
    trip), so quiet hours ending at 07:00 for thousands costs counts for the
    few awake; then two queries, and the count's queries per such person.
    Returns how many were told.
    """
    if not live.delivers() or not user_ids:
        return 0
    awake = live.listening(f"user:{pk}" for pk in user_ids)
    listening_ids = [pk for pk in user_ids if f"user:{pk}" in awake]
    if not listening_ids:
        return 0
    now = timezone.now()
    users = list(User.objects.filter(pk__in=listening_ids, is_active=True))
    prefs = {p.user_id: p for p in Preferences.objects.filter(user_id__in=[u.pk for u in users])}
    for user in users:
        person = prefs.get(user.pk)
        hold = hold_at(person, now) if person is not None else NO_HOLD
        data = {"unread": unread_count(user=user, hold=hold), "released": hold.reason}
        live.publish(f"user:{user.pk}", "notification", data)
    return len(users)
