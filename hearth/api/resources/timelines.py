"""Timelines: home, public and tag.

https://docs.joinmastodon.org/methods/timelines/
Everything here is local: Hearth does not federate yet, so `remote=true`
is an empty page and `local` changes nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from hearth.accounts.models import Mute
from hearth.api.auth import me, public, token, viewer
from hearth.api.pagination import apply_window, bounds, set_link, window_from
from hearth.api.parsing import truthy
from hearth.api.render import Renderer
from hearth.api.schemas import StatusOut
from hearth.feeds.selectors import home_timeline
from hearth.posts.models import Audience
from hearth.posts.selectors import posts_visible

router = Router(tags=["timelines"])


@router.get("/v1/timelines/home", auth=token("read:statuses"), response=list[StatusOut])
def home(request: HttpRequest, response: HttpResponse) -> list[StatusOut]:
    user = me(request)
    page = home_timeline(viewer=user, window=window_from(request))
    set_link(request, response, newest=page.newest_id, oldest=page.oldest_id)
    return Renderer(request, user).statuses(page.items)


def _public_page(
    request: HttpRequest, response: HttpResponse, tag: str | None = None
) -> list[StatusOut]:
    who = viewer(request)
    if truthy(request.GET.get("remote")):
        return []
    # Public places, as on the web's tag pages: a private community's posts
    # stay inside it, and the viewer's muted people stay out.
    queryset = (
        posts_visible(viewer=who)
        .filter(audience=Audience.PUBLIC)
        .exclude(community__visibility="private")
    )
    if who is not None:
        queryset = queryset.exclude(author__in=Mute.objects.filter(muter=who).values("muted"))
    if tag is not None:
        queryset = queryset.filter(tags__tag=tag.lower())
    if truthy(request.GET.get("only_media")):
        queryset = queryset.filter(media__isnull=False).distinct()
    posts = apply_window(queryset, window_from(request))
    newest, oldest = bounds(posts)
    set_link(request, response, newest=newest, oldest=oldest)
    return Renderer(request, who).statuses(posts)


@router.get("/v1/timelines/public", auth=public("read:statuses"), response=list[StatusOut])
def public_timeline(request: HttpRequest, response: HttpResponse) -> list[StatusOut]:
    return _public_page(request, response)


@router.get("/v1/timelines/tag/{hashtag}", auth=public("read:statuses"), response=list[StatusOut])
def tag_timeline(request: HttpRequest, response: HttpResponse, hashtag: str) -> list[StatusOut]:
    return _public_page(request, response, hashtag.lstrip("#"))
