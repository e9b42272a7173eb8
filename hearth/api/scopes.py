"""OAuth scopes, Mastodon's way: `read` covers `read:statuses`, `follow` covers
reading and writing follows, blocks and mutes (its legacy meaning).

https://docs.joinmastodon.org/api/oauth-scopes/
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

TOP_LEVEL = ("read", "write", "follow", "push", "profile")
# `follow` predates the granular scopes and still grants these.
FOLLOW_COVERS = frozenset(
    {
        "read:follows",
        "write:follows",
        "read:blocks",
        "write:blocks",
        "read:mutes",
        "write:mutes",
    }
)


def known_scopes() -> frozenset[str]:
    return frozenset(settings.OAUTH2_PROVIDER["SCOPES"])


def parse_scopes(raw: str | Iterable[str] | None) -> list[str]:
    """Split a scope string (space-, plus- or comma-separated) keeping order, without repeats."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.replace("+", " ").replace(",", " ").split()
    return list(dict.fromkeys(s.strip() for s in raw if s.strip()))


def expand(scopes: Iterable[str]) -> frozenset[str]:
    """Every scope that `scopes` grant, granular ones included."""
    granted = set(scopes)
    for scope in list(granted):
        if scope in ("read", "write"):
            granted |= {s for s in known_scopes() if s.startswith(f"{scope}:")}
        elif scope == "follow":
            granted |= FOLLOW_COVERS
    return frozenset(granted)


def satisfies(granted: Iterable[str], required: str) -> bool:
    """True if a token with `granted` scopes may call an endpoint needing `required`."""
    return required in expand(granted)
