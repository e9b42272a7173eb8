"""Small endpoints clients call on start-up: markers, preferences, custom emoji,
trends, and the lists Hearth does not have yet.

Empty answers here are honest: nobody on Hearth has a followed hashtag or
an announcement yet, because neither exists. What Hearth has but the API
does not serve yet answers 404 instead of pretending to be empty
(docs/api.md).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from hearth.api.auth import me, public, token
from hearth.api.parsing import IdStr, optional_id, query_list
from hearth.api.render import iso
from hearth.api.schemas import MarkerOut, StatusOut, TagOut
from hearth.feeds.selectors import feed_marker, notifications_last_read_id
from hearth.feeds.services import feed_mark_seen, notifications_mark_read

router = Router(tags=["misc"])


class MarkerIn(Schema):
    last_read_id: IdStr


class MarkersIn(Schema):
    home: MarkerIn | None = None
    notifications: MarkerIn | None = None


def _markers(request: HttpRequest, timelines: list[str]) -> dict[str, MarkerOut]:
    user = me(request)
    now = iso(timezone.now())
    out: dict[str, MarkerOut] = {}
    if "home" in timelines:
        out["home"] = MarkerOut(last_read_id=str(feed_marker(user=user)), version=0, updated_at=now)
    if "notifications" in timelines:
        last = notifications_last_read_id(user=user)
        out["notifications"] = MarkerOut(last_read_id=str(last), version=0, updated_at=now)
    return out


@router.get("/v1/markers", auth=token("read:statuses"), response=dict[str, MarkerOut])
def markers_get(request: HttpRequest) -> dict[str, MarkerOut]:
    return _markers(request, query_list(request, "timeline"))


@router.post("/v1/markers", auth=token("write:statuses"), response=dict[str, MarkerOut])
def markers_set(request: HttpRequest, data: MarkersIn) -> dict[str, MarkerOut]:
    """Move the caught-up line (home) or mark notifications read up to an id; never backwards."""
    user = me(request)
    timelines = []
    if data.home is not None:
        post_id = optional_id(data.home.last_read_id)
        if post_id is not None:
            feed_mark_seen(user=user, post_id=post_id)
        timelines.append("home")
    if data.notifications is not None:
        up_to = optional_id(data.notifications.last_read_id)
        if up_to is not None:
            notifications_mark_read(user=user, up_to_id=up_to)
        timelines.append("notifications")
    return _markers(request, timelines)


@router.get("/v1/preferences", auth=token("read:accounts"), response=dict[str, Any])
def preferences(request: HttpRequest) -> dict[str, Any]:
    me(request)
    return {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }


@router.get("/v1/custom_emojis", auth=public(), response=list[dict[str, Any]])
def custom_emojis(request: HttpRequest) -> list[dict[str, Any]]:
    return []


# Hearth ranks nothing by popularity (docs/DESIGN: no engagement machine).
@router.get("/v1/trends", auth=public(), response=list[TagOut])
def trends(request: HttpRequest) -> list[TagOut]:
    return []


@router.get("/v1/trends/tags", auth=public(), response=list[TagOut])
def trends_tags(request: HttpRequest) -> list[TagOut]:
    return []


@router.get("/v1/trends/statuses", auth=public(), response=list[StatusOut])
def trends_statuses(request: HttpRequest) -> list[StatusOut]:
    return []


@router.get("/v1/trends/links", auth=public(), response=list[dict[str, Any]])
def trends_links(request: HttpRequest) -> list[dict[str, Any]]:
    return []


@router.get("/v1/followed_tags", auth=token("read:follows"), response=list[TagOut])
def followed_tags(request: HttpRequest) -> list[TagOut]:
    return []


@router.get("/v1/announcements", auth=token("read"), response=list[dict[str, Any]])
def announcements(request: HttpRequest) -> list[dict[str, Any]]:
    return []
