from typing import Any

from django.http import HttpRequest

from hearth.accounts.models import User
from hearth.core import live
from hearth.messaging.selectors import unread_count


def unread_messages(request: HttpRequest) -> dict[str, Any]:
    """The Messages badge (read lazily) and where pages open their live stream."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    cached: dict[str, int] = {}

    def count() -> int:
        if "n" not in cached:
            cached["n"] = unread_count(user=user)
        return cached["n"]

    return {"unread_messages": count, "live_url": live.page_url()}
