"""The django-ninja API object: one per site, every resource router mounted on it.

Paths carry their version (`/v1/statuses`, `/v2/media`) because Mastodon
mixes versions per resource; the whole API is mounted at /api/, so the
OpenAPI document is /api/openapi.json and its browsable docs /api/docs.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ninja import NinjaAPI

from hearth.api import errors
from hearth.api.parsing import MastodonParser
from hearth.api.resources import (
    accounts,
    apps,
    bookmarks,
    conversations,
    filters,
    instance,
    lists,
    media,
    misc,
    notifications,
    pins,
    reactions,
    reports,
    search,
    statuses,
    timelines,
)


def hearth_version() -> str:
    try:
        return version("hearth-social")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0"


api = NinjaAPI(
    title="Hearth: Mastodon-compatible client API",
    version=hearth_version(),
    description="See docs/api.md for what is and is not available yet.",
    urls_namespace="api",
    parser=MastodonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (
    instance,
    apps,
    accounts,
    statuses,
    reactions,
    timelines,
    notifications,
    media,
    search,
    bookmarks,
    pins,
    lists,
    conversations,
    filters,
    reports,
    misc,
):
    api.add_router("", module.router)
