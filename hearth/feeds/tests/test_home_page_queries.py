"""GET /home costs the same number of queries whatever the cards on it hold.

Each card's links and controls are built from what the feed selector
loaded (hearth.posts.cards); a card that read anything on its own would
make the count grow with the page.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.services import follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.communities.services import community_create, membership_join
from hearth.conftest import committed
from hearth.posts import bookmarks, boosts
from hearth.posts.models import ReactionKind
from hearth.posts.services import post_edit, reaction_set
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def _home(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/home")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_home_page_queries_do_not_grow_with_its_cards(client_for):
    reader, friend, other, host = (UserFactory() for _ in range(4))
    place = community_create(
        creator=host,
        name="Query count",
        slug="query-count",
        description="A community for the query count.",
        who_for="Tests.",
        rules=["Be kind"],
    )
    with committed():
        follow_create(follower=reader, followee=friend)
        membership_join(community=place, user=reader, accept_rules=True)
        membership_join(community=place, user=friend, accept_rules=True)
    publish(friend, "before the visit")
    client = client_for(reader)
    # The first visit stores its caught-up line in the session and creates the marker.
    client.get("/home")

    def one_of_each(i: int) -> None:
        """Every kind of card: a reply, a share, a community's (reactions and
        Report read the reader's memberships), a content warning, a venting
        post, an edited one the reader reacted to and saved."""
        post = publish(friend, f"public {i}")
        publish(friend, f"reply {i}", in_reply_to=post)
        publish(friend, f"in the community {i}", community_id=place.pk)
        publish(friend, f"careful {i}", content_warning="loss")
        publish(friend, f"venting {i}", tone="venting")
        shared = publish(other, f"shared {i}")
        with committed():
            boosts.boost_create(booster=friend, post=shared)
            reaction_set(post=post, user=reader, kind=ReactionKind.choices[0][0])
            bookmarks.bookmark_add(user=reader, post=post)
            post_edit(
                post=post, editor=friend, text=f"public {i}, edited", content_warning="", tone=""
            )

    mine = publish(reader, "my own")
    with committed():
        post_edit(post=mine, editor=reader, text="my own, edited", content_warning="", tone="")
    one_of_each(0)
    few, html = _home(client)
    assert html.count('<article class="post') == 8
    for i in range(1, 3):
        one_of_each(i)
    many, html = _home(client)
    assert html.count('<article class="post') == 20
    assert few == many, (few, many)
