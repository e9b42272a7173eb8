from typing import Any

from django.http import HttpRequest

from hearth.accounts.models import User
from hearth.feeds.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count shown in the header, read lazily so pages that never show it pay nothing."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    cached: dict[str, int] = {}

    def count() -> int:
        if "n" not in cached:
            # The preferences the wellbeing middleware already read (quiet hours).
            prefs = getattr(request, "wellbeing_prefs", None)
            cached["n"] = unread_count(user=user, prefs=prefs)
        return cached["n"]

    return {"unread_notifications": count}
