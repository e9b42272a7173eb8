"""Which part of Hearth a path belongs to, and which paths the middleware leaves alone."""

from __future__ import annotations

from hearth.wellbeing.models import Area

# Requests that are not someone looking at a page: assets, the live stream,
# the client API and OAuth (apps, not the web UI), health checks.
UNTRACKED_PREFIXES = (
    "/static/",
    "/media/",
    "/live",
    "/api/",
    "/oauth/",
    "/healthz",
    "/.well-known/",
    "/wellbeing/heartbeat",
)

# Pages a budget pause never covers: the person must always be able to see
# their time, change the budget, find crisis help and leave.
NEVER_PAUSED_PREFIXES = (
    "/wellbeing",
    "/settings",
    "/support/resources",
    "/logout",
)

_AREAS: tuple[tuple[str, Area], ...] = (
    ("/home", Area.FEED),
    ("/@", Area.FEED),
    ("/tags/", Area.FEED),
    ("/posts/", Area.FEED),
    ("/milestones/", Area.FEED),
    ("/notifications", Area.FEED),
    ("/messages", Area.CONVERSATIONS),
    ("/c/", Area.COMMUNITIES),
    ("/communities", Area.COMMUNITIES),
    ("/mentoring", Area.COMMUNITIES),
    ("/support", Area.SUPPORT),
)


def area_for_path(path: str) -> Area:
    for prefix, area in _AREAS:
        if path.startswith(prefix):
            return area
    return Area.OTHER


def is_tracked_path(path: str) -> bool:
    return not path.startswith(UNTRACKED_PREFIXES)


def is_never_paused(path: str) -> bool:
    return path.startswith(NEVER_PAUSED_PREFIXES)
