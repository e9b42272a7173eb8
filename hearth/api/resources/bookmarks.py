"""Bookmarks: save a status to read again, privately.

https://docs.joinmastodon.org/methods/bookmarks/
https://docs.joinmastodon.org/methods/statuses/#bookmark

Hearth's "Save" (hearth.posts.bookmarks). Nobody is told, and nobody but
the person who saved a post can see that they did. The list pages by when
each post was saved; the Link header carries the bookmarks' own ids, as
Mastodon's does. A saved post that its saver may no longer read is left
out of the list.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from hearth.api.auth import me, token
from hearth.api.pagination import apply_window, bounds, set_link, window_from
from hearth.api.parsing import parse_id
from hearth.api.render import Renderer
from hearth.api.schemas import StatusOut
from hearth.posts import bookmarks, selectors

router = Router(tags=["bookmarks"])


@router.post("/v1/statuses/{status_id}/bookmark", auth=token("write:bookmarks"), response=StatusOut)
def bookmark(request: HttpRequest, status_id: str) -> StatusOut:
    user = me(request)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    bookmarks.bookmark_add(user=user, post=post)
    post = selectors.post_get_visible(viewer=user, post_id=post.pk)
    return Renderer(request, user).status(post)


@router.post(
    "/v1/statuses/{status_id}/unbookmark", auth=token("write:bookmarks"), response=StatusOut
)
def unbookmark(request: HttpRequest, status_id: str) -> StatusOut:
    user = me(request)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    bookmarks.bookmark_remove(user=user, post_id=post.pk)
    post = selectors.post_get_visible(viewer=user, post_id=post.pk)
    return Renderer(request, user).status(post)


@router.get("/v1/bookmarks", auth=token("read:bookmarks"), response=list[StatusOut])
def bookmarks_list(request: HttpRequest, response: HttpResponse) -> list[StatusOut]:
    """The caller's saved posts, the most recently saved first."""
    user = me(request)
    posts = apply_window(
        bookmarks.bookmarked_posts(viewer=user), window_from(request), key="bookmark_id"
    )
    newest, oldest = bounds(posts, key="bookmark_id")
    set_link(request, response, newest=newest, oldest=oldest)
    return Renderer(request, user).statuses(posts)
