"""The extension point through which apps above posts grant extra readers of some posts.

Support sits above posts: a request for support may be meant for "only the
supporters Hearth asked", and who those are is support's business. Yet every
path that reads a post goes through PostQuerySet.visible_to, so posts must
obey that grant without importing support. An app registers one
`ExtraReaders` at start-up (AppConfig.ready) under its own name; visible_to
ORs the condition each returns into its audience rules. Blocks, a private
community's walls and a moderator's removal still apply on top. The registry
is filled once at import time and never changes afterwards, so it is the same
in every process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db.models import Q

if TYPE_CHECKING:
    from hearth.accounts.models import User


class ExtraReaders(Protocol):
    def readable(self, viewer: User) -> Q:
        """A condition over Post rows: the posts `viewer` may read beyond their audience.

        It must stay cheap (an indexed subquery on the viewer), since every
        post list evaluates it.
        """


_readers: dict[str, ExtraReaders] = {}


def extra_readers_register(name: str, readers: ExtraReaders) -> None:
    """Install an app's extra readers (called once from its AppConfig.ready)."""
    _readers[name] = readers


def extra_readers_q(viewer: User) -> Q | None:
    """The registered grants for `viewer` ORed together, or None when no app registered any."""
    grants = [readers.readable(viewer) for _, readers in sorted(_readers.items())]
    if not grants:
        return None
    combined = grants[0]
    for grant in grants[1:]:
        combined |= grant
    return combined
