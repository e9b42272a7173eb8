from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hearth.accounts.models import User
from hearth.wellbeing import services


def counts(request: HttpRequest) -> dict[str, Any]:
    """`hide_own_counts`: the person asked not to see counts about themself.

    A callable, so templates that never ask (every page but the profile)
    cost no query; the middleware's already-loaded preferences are reused.
    """

    def hide_own_counts() -> bool:
        user = getattr(request, "user", None)
        if not isinstance(user, User):
            return False
        return bool(services.request_preferences(request, user).hide_own_counts)

    return {"hide_own_counts": hide_own_counts}
