"""Notifications: list (types[] / exclude_types[]), get, clear, dismiss, unread count.

https://docs.joinmastodon.org/methods/notifications/
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router

from hearth.api.auth import me, token
from hearth.api.pagination import set_link, window_from
from hearth.api.parsing import parse_id, query_list
from hearth.api.render import NOTIFICATION_TYPES, Renderer
from hearth.api.schemas import NotificationOut
from hearth.feeds.selectors import notification_get, notifications_window, unread_count
from hearth.feeds.services import notification_dismiss, notifications_clear

router = Router(tags=["notifications"])


def _kinds(request: HttpRequest) -> set[str]:
    """Hearth kinds for the Mastodon types asked for (all that have one, by default)."""
    by_type: dict[str, set[str]] = {}
    for kind, mastodon_type in NOTIFICATION_TYPES.items():
        by_type.setdefault(mastodon_type, set()).add(kind)
    kinds = {k for ks in by_type.values() for k in ks}
    wanted = query_list(request, "types")
    if wanted:
        kinds = {k for t in wanted for k in by_type.get(t, set())}
    for excluded in query_list(request, "exclude_types"):
        kinds -= by_type.get(excluded, set())
    return kinds


@router.get("/v1/notifications", auth=token("read:notifications"), response=list[NotificationOut])
def notifications_list(request: HttpRequest, response: HttpResponse) -> list[NotificationOut]:
    user = me(request)
    page = notifications_window(
        user=user, window=window_from(request, most=80), kinds=_kinds(request)
    )
    set_link(request, response, newest=page.newest_id, oldest=page.oldest_id)
    return Renderer(request, user).notifications(page.items)


@router.get(
    "/v1/notifications/unread_count", auth=token("read:notifications"), response=dict[str, int]
)
def notifications_unread(request: HttpRequest) -> dict[str, int]:
    return {"count": unread_count(user=me(request))}


@router.post("/v1/notifications/clear", auth=token("write:notifications"), response=dict[str, Any])
def notifications_clear_all(request: HttpRequest) -> dict[str, Any]:
    notifications_clear(user=me(request))
    return {}


@router.post(
    "/v1/notifications/dismiss", auth=token("write:notifications"), response=dict[str, Any]
)
def notification_dismiss_legacy(request: HttpRequest) -> dict[str, Any]:
    """The pre-3.1 form, with the id in the body or query string."""
    raw = request.POST.get("id") or request.GET.get("id")
    if not notification_dismiss(user=me(request), notification_id=parse_id(raw)):
        raise Http404
    return {}


@router.get(
    "/v1/notifications/{notification_id}",
    auth=token("read:notifications"),
    response=NotificationOut,
)
def notification_get_one(request: HttpRequest, notification_id: str) -> NotificationOut:
    user = me(request)
    found = notification_get(user=user, notification_id=parse_id(notification_id))
    rendered = Renderer(request, user).notifications([found])
    if not rendered:
        raise Http404
    return rendered[0]


@router.post(
    "/v1/notifications/{notification_id}/dismiss",
    auth=token("write:notifications"),
    response=dict[str, Any],
)
def notification_dismiss_one(request: HttpRequest, notification_id: str) -> dict[str, Any]:
    if not notification_dismiss(user=me(request), notification_id=parse_id(notification_id)):
        raise Http404
    return {}
