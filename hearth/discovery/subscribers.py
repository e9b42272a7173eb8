"""A public community's vectors include its recent threads: refresh them when one changes.

Edits of the community itself need no event: its updated_at changes, which
the next search notices (selectors.loaded_ranker) and the sweep catches too.
"""

from __future__ import annotations

from hearth.communities.events import PostRemoved
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
