"""Events the wellbeing app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class NotificationsReleased(Event):
    """Quiet hours ended, or a summary time came, for these people: what was held now counts.

    Nothing new happened, so no other event tells their open pages; the
    feeds app answers with a fresh unread count (hearth.feeds.live).
    """

    user_ids: tuple[int, ...]
