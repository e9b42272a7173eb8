"""The find-your-people page, over real communities, with the default (lexical) model."""

from __future__ import annotations

import re

import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.communities.services import community_create, membership_join
from hearth.core.testing import page_text
from hearth.posts.services import post_create

pytestmark = pytest.mark.django_db


def make(owner, slug, name, description, who_for, visibility="public", topics=""):
    return community_create(
        creator=owner,
        name=name,
        slug=slug,
        description=description,
        who_for=who_for,
        topics=topics,
        visibility=visibility,
        rules=["Be kind"],
    )


@pytest.fixture
def places():
    owner = UserFactory()
    grief = make(
        owner,
        "grief-parents",
        "After a parent dies",
        "A gentle place to talk about grief after losing a mum or dad.",
        "Anyone grieving a parent, recently or long ago.",
        topics="grief, loss, parents",
    )
    bread = make(
        owner,
        "sourdough",
        "Sourdough bakers",
        "Starters, crumb shots and oven spring.",
        "Home bakers of every level.",
        topics="baking, bread",
    )
    secret = make(
        owner,
        "quiet-room",
        "The quiet room",
        "A private circle for members of one choir.",
        "Members of the Riverside choir.",
        visibility="private",
    )
    membership_join(community=secret, user=UserFactory(), accept_rules=True)
    post_create(
        author=owner, text="Our kayaking trip down the river was magic", community_id=secret.pk
    )
    return grief, bread, secret


def names_in_order(html: str) -> list[str]:
    section = html.split("Where your people might be", 1)[-1]
    return re.findall(r'<h3><a href="/c/([a-z0-9-]+)">', section)


def test_a_described_situation_finds_the_community_with_a_reason(client, places):
    html = page_text(client.get("/communities/find?q=my dad died in april and I miss him"))
    assert names_in_order(html)[0] == "grief-parents"
    assert 'class="reason"' in html


def test_private_communities_are_not_found_by_what_their_members_wrote(client, places):
    html = page_text(client.get("/communities/find?q=kayaking trip down the river"))
    assert "quiet-room" not in names_in_order(html)


def test_empty_and_long_descriptions(client, places):
    html = page_text(client.get("/communities/find?q=%20%20"))
    assert "Where your people might be" not in html and "Nothing resonates" not in html
    response = client.get("/communities/find", {"q": "bread " * 3000})
    assert response.status_code == 200
    assert "Only the first 2,000 characters were used." in page_text(response)


def test_my_story_can_be_the_description(client_for, places):
    person = UserFactory(story="I bake bread every weekend and want to get better at sourdough.")
    html = page_text(client_for(person).get("/communities/find?story=1"))
    assert "Using your story." in html
    assert names_in_order(html)[0] == "sourdough"


def test_community_docs_read_the_newest_threads_in_a_fixed_number_of_queries(
    places, django_assert_max_num_queries
):
    from hearth.discovery.selectors import RECENT_POSTS, community_docs

    _, bread, secret = places
    for i in range(RECENT_POSTS + 3):
        post_create(author=bread.created_by, text=f"loaf number {i}", community_id=bread.pk)
    with django_assert_max_num_queries(3):
        docs = {d.id: d for d in community_docs()}
    loaves = list(docs[bread.pk].recent_posts)
    assert len(loaves) == RECENT_POSTS
    assert loaves[0] == f"loaf number {RECENT_POSTS + 2}"
    assert "loaf number 0" not in loaves
    assert list(docs[secret.pk].recent_posts) == []
