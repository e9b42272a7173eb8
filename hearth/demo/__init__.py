"""The demo data set that `hearth demo` loads into an empty database.

Fourteen people with profiles and drawn avatars, the follows, requests and
close circles between them, ten days of posts, replies, photos and
reactions, and twelve communities they belong to, with their rules, posts
and a little moderation; conversations, upcoming gatherings, milestones and a
newcomer who joined by invite (hearth.demo.life). Everything is made through
the domain services, one committed transaction at a time, so their rules
hold and their events reach the subscribers (in `hearth demo` the task
worker then builds feeds and notifications). Log in as `maya` with DEMO_PASSWORD.
"""

from __future__ import annotations

from hearth.accounts.models import User
from hearth.demo.communities import (
    communities_create,
    community_entries,
    dates_set,
    moderation_create,
    slugs_to_ids,
)
from hearth.demo.content import posts_create, reactions_create
from hearth.demo.life import (
    conversations_create,
    gatherings_create,
    milestones_create,
    newcomer_create,
    wellbeing_create,
)
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
    communities = communities_create(users)
    entries = (*ENTRIES, *community_entries())
    posts = posts_create(users, entries, slugs_to_ids(communities))
    reactions_create(users, posts, entries)
    moderation_create(users, communities, posts)
    dates_set(users, communities)
    newcomer_create(users, DEMO_PASSWORD)
    conversations_create(users)
    gatherings_create(users, communities)
    milestones_create(users)
    wellbeing_create(users)
    return True


__all__ = ["DEMO_PASSWORD", "demo_load"]
