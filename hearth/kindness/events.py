"""Events the kindness app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class KeywordFiltersChanged(Event):
    """Someone added, changed or deleted one of their keyword filters.

    Their open Mastodon streams hear `filters_changed`, so apps fetch the
    filters again (hearth.kindness.subscribers).
    """

    owner_id: int
