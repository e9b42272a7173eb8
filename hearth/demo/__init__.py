"""The demo data set that `hearth demo` loads into an empty database.

Fourteen people with profiles and drawn avatars, the follows, requests and
close circles between them, and ten days of posts, replies, photos and
reactions. Everything is made through the domain services, one committed
transaction at a time, so their rules hold and their events reach the
subscribers (in `hearth demo` the task worker then builds feeds and
notifications). Log in as `maya` with DEMO_PASSWORD.
"""

from __future__ import annotations

from hearth.accounts.models import User
from hearth.demo.content import posts_create, reactions_create
from hearth.demo.people import people_create, relationships_create
from hearth.demo.story_arrivals import ARRIVALS
from hearth.demo.story_midweek import MIDWEEK
from hearth.demo.story_recent import RECENT

# Printed by `hearth demo` for anyone to use: demo accounts are not meant to be private.
DEMO_PASSWORD = "warm-welcome"  # noqa: S105
ENTRIES = (*ARRIVALS, *MIDWEEK, *RECENT)


def demo_load() -> bool:
    """Load the demo into a database with no users; returns False, changing nothing, otherwise.

    Deliberately not one transaction: each service call commits on its own,
    so its events fire. Raises ScriptError if the script is inconsistent.
    """
    if User.objects.exists():
        return False
    users = people_create(DEMO_PASSWORD)
    relationships_create(users)
    posts = posts_create(users, ENTRIES)
    reactions_create(users, posts, ENTRIES)
    return True


__all__ = ["DEMO_PASSWORD", "demo_load"]
