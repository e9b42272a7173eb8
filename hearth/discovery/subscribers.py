"""Refresh a community's vectors, off the search path, when it or one of its threads changes.

A search still encodes a few edited communities itself if their refresh
has not run yet (selectors.INLINE_REFRESH), and the sweep catches anything missed.
"""

from __future__ import annotations

from hearth.communities.events import CommunityChanged, PostRemoved
from hearth.core.events import subscriber
from hearth.discovery import services, tasks
from hearth.posts.events import PostDeleted, PostEdited, PostPublished


def _refresh_community_of(post_id: int) -> None:
    for community_id in services.communities_of_posts([post_id]):
        tasks.community_vector_refresh.enqueue(community_id=community_id)


@subscriber(PostPublished)
def on_post_published(event: PostPublished) -> None:
    _refresh_community_of(event.post_id)


@subscriber(PostEdited)
def on_post_edited(event: PostEdited) -> None:
    _refresh_community_of(event.post_id)


@subscriber(PostDeleted)
def on_post_deleted(event: PostDeleted) -> None:
    _refresh_community_of(event.post_id)


@subscriber(PostRemoved)
def on_post_removed(event: PostRemoved) -> None:
    _refresh_community_of(event.post_id)


@subscriber(CommunityChanged)
def on_community_changed(event: CommunityChanged) -> None:
    tasks.community_vector_refresh.enqueue(community_id=event.community_id)
