"""GET /api/v1/instance and /api/v2/instance: who this server is and its limits.

https://docs.joinmastodon.org/methods/instance/
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from ninja import Router

from hearth.api.auth import public
from hearth.api.selectors import instance_stats
from hearth.api.streaming.sse import streaming_url
from hearth.core.images import ACCEPTED_FORMATS
from hearth.posts.models import MAX_MEDIA, MAX_PINNED, MAX_POST_LENGTH

router = Router(tags=["instance"])

# Mastodon's API version this layer follows: clients switch features on
# by the version string, so it names the Mastodon release first.
MASTODON_VERSION = "4.3.0"
MIME_TYPES = sorted(f"image/{fmt.lower()}" for fmt in ACCEPTED_FORMATS)


def version_string() -> str:
    from hearth.api.root import hearth_version

    return f"{MASTODON_VERSION} (compatible; Hearth {hearth_version()})"


def _limits() -> dict[str, Any]:
    return {
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": MAX_PINNED},
        "statuses": {
            "max_characters": MAX_POST_LENGTH,
            "max_media_attachments": MAX_MEDIA,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": MIME_TYPES,
            "image_size_limit": settings.MEDIA_MAX_BYTES,
            "image_matrix_limit": settings.MEDIA_MAX_PIXELS,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
            "description_limit": 1500,
        },
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
    }


DESCRIPTION = (
    "A social network for genuine connection: no public vanity counts, "
    "a feed that ends, and care before a hurtful reply."
)


@router.get("/v1/instance", auth=public(), response=dict[str, Any])
def instance_v1(request: HttpRequest) -> dict[str, Any]:
    host = request.get_host()
    stats = instance_stats()
    return {
        "uri": host,
        "title": settings.SITE_NAME,
        "short_description": DESCRIPTION,
        "description": DESCRIPTION,
        "email": "",
        "version": version_string(),
        "urls": {"streaming_api": streaming_url(request)},
        # Hearth does not federate yet: no other domains are known.
        "stats": {"user_count": stats.users, "status_count": stats.statuses, "domain_count": 0},
        "thumbnail": request.build_absolute_uri(static("api/header.png")),
        "languages": ["en"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": _limits(),
        "contact_account": None,
        "rules": [],
        "api_versions": {"mastodon": 2},
    }


@router.get("/v2/instance", auth=public(), response=dict[str, Any])
def instance_v2(request: HttpRequest) -> dict[str, Any]:
    host = request.get_host()
    configuration = _limits()
    configuration["urls"] = {"streaming": streaming_url(request), "status": None}
    configuration["vapid"] = {"public_key": ""}
    configuration["translation"] = {"enabled": False}
    return {
        "domain": host,
        "title": settings.SITE_NAME,
        "version": version_string(),
        "source_url": "",
        "description": DESCRIPTION,
        "usage": {"users": {"active_month": instance_stats().active_month}},
        "thumbnail": {"url": request.build_absolute_uri(static("api/header.png"))},
        "icon": [],
        "languages": ["en"],
        "configuration": configuration,
        "registrations": {"enabled": True, "approval_required": False, "message": None},
        "api_versions": {"mastodon": 2},
        "contact": {"email": "", "account": None},
        "rules": [],
    }
