"""Domain events in: a change to someone's keyword filters goes out live."""

from __future__ import annotations

from hearth.core import live
from hearth.core.events import subscriber
from hearth.kindness.events import KeywordFiltersChanged


@subscriber(KeywordFiltersChanged)
def on_filters_changed(event: KeywordFiltersChanged) -> None:
    """Tell the owner's open streams, after commit: `filters_changed` on `user:<id>`.

    Published here rather than from a task: there is nothing to look up, and
    an app should stop showing a newly filtered post at once. Pages ignore
    the event (they filter when they render); Mastodon's user stream passes
    it on (hearth.api.streaming.access).
    """
    if live.delivers():
        live.publish(f"user:{event.owner_id}", "filters_changed")
