"""Pinned statuses: up to five of one's own posts shown first on one's profile.

https://docs.joinmastodon.org/methods/statuses/#pin
Only the author's own public, unlisted or followers-only posts can be pinned
(hearth.posts.pins), as Mastodon allows: someone else's post, a close-circle
or mentioned-only post and a sixth pin are a 422. `GET /api/v1/accounts/:id/statuses?pinned=true`
(hearth.api.resources.accounts) lists them.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from hearth.accounts.models import User
from hearth.api.auth import me, token
from hearth.api.errors import ApiError
from hearth.api.parsing import parse_id
from hearth.api.render import Renderer
from hearth.api.schemas import StatusOut
from hearth.posts import pins, selectors
from hearth.posts.models import Post

router = Router(tags=["pins"])


def _own(request: HttpRequest, status_id: str) -> tuple[User, Post]:
    user = me(request)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    if post.author_id != user.pk:
        raise ApiError(422, "Validation failed: You can only pin your own posts.")
    return user, post


@router.post("/v1/statuses/{status_id}/pin", auth=token("write:accounts"), response=StatusOut)
def pin(request: HttpRequest, status_id: str) -> StatusOut:
    user, post = _own(request, status_id)
    pins.post_pin(post=post, actor=user)
    return Renderer(request, user).status(selectors.post_get_visible(viewer=user, post_id=post.pk))


@router.post("/v1/statuses/{status_id}/unpin", auth=token("write:accounts"), response=StatusOut)
def unpin(request: HttpRequest, status_id: str) -> StatusOut:
    user, post = _own(request, status_id)
    pins.post_unpin(post=post, actor=user)
    return Renderer(request, user).status(selectors.post_get_visible(viewer=user, post_id=post.pk))
