"""Reading support data. Requests are posts: every read goes through the posts' access rules.

A request that does not exist and one the viewer may not see raise the
same Http404.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.http import Http404
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.selectors import Viewer, as_user
from hearth.communities.models import Community, Membership
from hearth.posts.models import Post
from hearth.posts.selectors import post_get_visible, posts_by_ids, posts_visible
from hearth.support.models import (
    CareSettings,
    CrisisResource,
    Route,
    Supporter,
    SupportRequest,
    WorriedRequest,
)


def support_request_get_visible(*, viewer: Viewer, request_id: int) -> SupportRequest:
    """The request if `viewer` may read its post; Http404 alike for missing and forbidden."""
    post = post_get_visible(viewer=viewer, post_id=request_id)
    request = SupportRequest.objects.select_related("community").filter(pk=post.pk).first()
    if request is None:
        raise Http404("No such request")
    request.post = post
    return request


def support_request_get_own(*, viewer: Viewer, request_id: int) -> SupportRequest:
    """One of the viewer's own requests (live post); Http404 otherwise."""
    user = as_user(viewer)
    request = (
        SupportRequest.objects.select_related("post", "community")
        .filter(pk=request_id, asker=user, post__deleted_at__isnull=True)
        .first()
        if user
        else None
    )
    if request is None:
        raise Http404("No such request")
    return request


@dataclass(frozen=True)
class RequestWithReplies:
    request: SupportRequest
    post: Post
    replies: list[Post]
    reply_count: int
    routed_count: int


def my_requests(*, user: User, limit: int = 20) -> list[RequestWithReplies]:
    """The asker's requests, newest first, each with the latest replies they may read."""
    requests = list(
        SupportRequest.objects.filter(asker=user, post__deleted_at__isnull=True)
        .select_related("community")
        .order_by("-created_at")[:limit]
    )
    posts = {p.pk: p for p in posts_by_ids([r.pk for r in requests], user)}
    visible = posts_visible(viewer=user)
    out = []
    for request in requests:
        post = posts.get(request.pk)
        if post is None:
            continue
        request.post = post
        replies = visible.filter(thread_root_id=post.pk).exclude(pk=post.pk).order_by("-id")
        out.append(
            RequestWithReplies(
                request=request,
                post=post,
                replies=list(reversed(list(replies[:3]))),
                reply_count=replies.count(),
                routed_count=request.routes.filter(state=Route.State.ROUTED).count(),
            )
        )
    return out


def routed_to_me(*, user: User, limit: int = 30) -> list[tuple[SupportRequest, Post]]:
    """Open requests routed to `user` that they may still read, newest first."""
    routes = (
        Route.objects.filter(
            supporter=user,
            state=Route.State.ROUTED,
            request__state=SupportRequest.State.OPEN,
        )
        .order_by("-created_at")
        .values_list("request_id", flat=True)[:limit]
    )
    ids = list(routes)
    readable = set(posts_visible(viewer=user).filter(pk__in=ids).values_list("pk", flat=True))
    posts = {p.pk: p for p in posts_by_ids([i for i in ids if i in readable], user)}
    requests = SupportRequest.objects.filter(pk__in=posts).select_related("community")
    by_id = {r.pk: r for r in requests}
    return [(by_id[i], posts[i]) for i in ids if i in posts and i in by_id]


def checkins_due(*, user: User) -> list[SupportRequest]:
    """The asker's open requests whose check-in time has come and that are not answered."""
    return list(
        SupportRequest.objects.filter(
            asker=user,
            state=SupportRequest.State.OPEN,
            checkin_at__lte=timezone.now(),
            checkin_answered_at__isnull=True,
            post__deleted_at__isnull=True,
        )
        .select_related("post")
        .order_by("checkin_at")
    )


def supporter_roles(*, user: User) -> list[Supporter]:
    return list(
        Supporter.objects.filter(user=user).select_related("community").order_by("-community")
    )


def supporter_scopes(*, user: User) -> list[Community]:
    """Communities `user` may support people in (active member, not banned)."""
    ids = (
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE)
        .exclude(banned_until__gt=timezone.now())
        .values("community_id")
    )
    return list(Community.objects.filter(pk__in=ids).order_by("name"))


def postable_communities(*, user: User) -> list[Community]:
    """Communities the asker may address a request to (they are an active member)."""
    return supporter_scopes(user=user)


def care_settings_of(*, user: User) -> CareSettings:
    return CareSettings.objects.filter(pk=user.pk).first() or CareSettings(user=user)


def worried_received(*, user: User, limit: int = 5) -> list[WorriedRequest]:
    """Caring messages delivered to `user`, newest first. The sender is not for their eyes."""
    return list(
        WorriedRequest.objects.filter(author=user, delivered=True).order_by("-created_at")[:limit]
    )


def worried_misuse_reports(*, limit: int = 100) -> list[WorriedRequest]:
    """For staff: caring messages their recipient reported as misuse, with the sender."""
    return list(
        WorriedRequest.objects.filter(misuse_reported_at__isnull=False)
        .select_related("sender", "author")
        .order_by("-misuse_reported_at")[:limit]
    )


@dataclass(frozen=True)
class CountryResources:
    country: str
    country_name: str
    resources: list[CrisisResource]


def crisis_resources() -> list[CountryResources]:
    """Helplines grouped by country; those for everywhere come first."""
    rows = sorted(
        CrisisResource.objects.all(),
        key=lambda r: (r.country != "", r.country_name.lower(), r.position, r.name.lower()),
    )
    return [
        CountryResources(country, name, list(group))
        for (country, name), group in groupby(rows, key=lambda r: (r.country, r.country_name))
    ]


def crisis_resources_unchecked() -> bool:
    """True while any listed helpline has not been checked by this server's staff."""
    return CrisisResource.objects.filter(checked=False).exists()


def crisis_resource_get(*, pk: int) -> CrisisResource:
    """One helpline (for the staff edit page); Http404 if missing."""
    resource = CrisisResource.objects.filter(pk=pk).first()
    if resource is None:
        raise Http404("No such resource")
    return resource


def route_held(*, user: User, request_id: int) -> bool:
    """True while the request is routed to `user` (they may pass it on)."""
    return Route.objects.filter(
        supporter=user, request_id=request_id, state=Route.State.ROUTED
    ).exists()


def routed_count(*, request: SupportRequest) -> int:
    """How many supporters hold the request now (the asker is told the number)."""
    return request.routes.filter(state=Route.State.ROUTED).count()
