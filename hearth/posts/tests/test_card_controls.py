"""Which controls each post card shows, by page, viewer and kind of post: one table.

Post cards (posts/_post.html, built by hearth.posts.cards) decide per card
whether Reply, the reactions, Share, Save, Pin, Edit, Delete, "I'm worried",
Report and Moderate show. The test builds one small world, renders each page
as each viewer, cuts the page into cards and compares each card's controls
with ``EXPECTED``.

A row of ``EXPECTED`` is ``(page, viewer, kind): "controls"``, the controls
named as in ``CONTROLS``, "-" for a card that is not on that page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from hearth.accounts.models import User
from hearth.accounts.services import follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.communities.models import Community
from hearth.communities.services import community_create, membership_join
from hearth.conftest import committed
from hearth.posts.cards import link
from hearth.posts.models import Post
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

# How each control shows in a card's HTML ({url}: the post's address).
CONTROLS: dict[str, str] = {
    "reply": 'href="{url}#reply">Reply</a>',
    "login": ">Log in to respond</a>",
    "gate": 'class="care-gate"',
    "react": '<form class="reactions" method="post" action="{url}/react"',
    "share": 'class="inline-form share-form" method="post" action="{url}/share"',
    "save": 'class="inline-form save-form" method="post" action="{url}/save"',
    "pin": 'method="post" action="{url}/pin"',
    "edit": 'href="{url}/edit">Edit</a>',
    "delete": 'href="{url}/delete">Delete</a>',
    "helplines": ">Helplines</a>",
    "worried": ">I'm worried<",
    "report": '/report">Report</a>',
    "moderate": '/moderate">Moderate</a>',
}

# The kinds of post; the author writes them all. "community" is in a public
# community that the host owns and the author, the member and the follower
# joined; the outsider follows the author but did not join.
KINDS = ["public", "followers", "warning", "venting", "support", "community"]

EXPECTED: dict[tuple[str, str, str], str] = {
    # Home: the author's own cards carry Edit and Delete, never Pin (that is the profile's).
    ("home", "author", "public"): "reply react share edit delete save",
    ("home", "author", "followers"): "reply react edit delete save",
    ("home", "author", "warning"): "reply react share edit delete save",
    ("home", "author", "venting"): "reply react share edit delete save",
    ("home", "author", "support"): "reply react share edit delete save helplines",
    ("home", "author", "community"): "reply react share edit delete save",
    # Someone who follows the author: a post that asks for care is opened before responding.
    ("home", "follower", "public"): "reply react share save worried",
    ("home", "follower", "followers"): "reply react save worried",
    ("home", "follower", "warning"): "gate save worried",
    ("home", "follower", "venting"): "gate save worried",
    ("home", "follower", "support"): "gate save helplines worried",
    ("home", "follower", "community"): "reply react share save worried report",
    # A follower outside the community does not get its posts at home.
    ("home", "outsider", "community"): "-",
    ("home", "outsider", "public"): "reply react share save worried",
    # The community's owner moderates its posts.
    ("home", "host", "community"): "reply react share save worried report moderate",
    # The author's profile: Pin for the author, on what may be pinned.
    ("profile", "author", "public"): "reply react share edit pin delete save",
    ("profile", "author", "followers"): "reply react edit pin delete save",
    ("profile", "author", "venting"): "reply react share edit pin delete save",
    ("profile", "follower", "public"): "reply react share save worried",
    ("profile", "follower", "warning"): "gate save worried",
    ("profile", "anonymous", "public"): "login",
    ("profile", "anonymous", "followers"): "-",
    ("profile", "anonymous", "venting"): "gate",
    ("profile", "anonymous", "support"): "gate helplines",
    # A community's page: reactions and Report for members only.
    ("community", "outsider", "community"): "reply share save worried",
    ("community", "follower", "community"): "reply react share save worried report",
    ("community", "host", "community"): "reply react share save worried report moderate",
    ("community", "author", "community"): "reply react share edit delete save",
    # A post's own page: a post that asks for care is answered there.
    ("post", "follower", "venting"): "reply react share save worried",
    ("post", "follower", "support"): "reply react share save helplines worried",
    ("post", "anonymous", "public"): "login",
}


@dataclass
class World:
    author: User
    follower: User
    outsider: User
    host: User
    community: Community
    posts: dict[str, Post]


def build_world() -> World:
    author, follower, outsider, host = (UserFactory() for _ in range(4))
    community = community_create(
        creator=host,
        name="Card controls",
        slug="card-controls",
        description="A community for the card table.",
        who_for="Tests.",
        rules=["Be kind"],
    )
    with committed():
        for person in (follower, outsider, host):
            follow_create(follower=person, followee=author)
        for person in (author, follower):
            membership_join(community=community, user=person, accept_rules=True)
    made: dict[str, dict[str, Any]] = {
        "public": {},
        "followers": {"audience": "followers"},
        "warning": {"content_warning": "a hard week"},
        "venting": {"tone": "venting"},
        "support": {"tone": "support"},
        "community": {"community_id": community.pk},
    }
    posts = {
        kind: publish(author, f"The {kind} post, hard week for me.", **kwargs)
        for kind, kwargs in made.items()
    }
    return World(author, follower, outsider, host, community, posts)


def _cards(html: str) -> dict[int, str]:
    """Each card's HTML by post id."""
    found = re.findall(r'<article class="post[^"]*" id="post-(\d+)".*?</article>', html, re.S)
    chunks = re.split(r'(?=<article class="post)', html)
    return {
        int(pk): chunk.split("</article>")[0]
        for pk, chunk in zip(found, [c for c in chunks if c.startswith("<article")], strict=True)
    }


def _controls(card: str, url: str) -> set[str]:
    return {name for name, marker in CONTROLS.items() if marker.format(url=url) in card}


def test_every_card_shows_its_controls_where_they_belong(client_for):
    world = build_world()
    viewers: dict[str, User | None] = {
        "author": world.author,
        "follower": world.follower,
        "outsider": world.outsider,
        "host": world.host,
        "anonymous": None,
    }
    pages: dict[str, str] = {}
    wrong: list[str] = []
    for (page, viewer, kind), expected in EXPECTED.items():
        post = world.posts[kind]
        url = {
            "home": "/home",
            "profile": reverse("profile", args=[world.author.username]),
            "community": reverse("community", args=[world.community.slug]),
            "post": post.get_absolute_url(),
        }[page]
        key = f"{viewer} {url}"
        if key not in pages:
            response = client_for(viewers[viewer]).get(url)
            assert response.status_code == 200, key
            pages[key] = response.content.decode()
        card = _cards(pages[key]).get(post.pk)
        got = "-" if card is None else " ".join(sorted(_controls(card, post.get_absolute_url())))
        want = "-" if expected == "-" else " ".join(sorted(expected.split()))
        if got != want:
            wrong.append(f"{page} as {viewer}, {kind} post: expected {want!r}, got {got!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("login", {}),
        ("support_resources", {}),
        ("profile", {"username": "Some_one9"}),
        ("post", {"username": "Some_one9", "post_id": 123456789012345678}),
        ("post_share", {"username": "a", "post_id": 1}),
        ("post_pin", {"username": "a", "post_id": 1}),
        ("milestone_remind", {"username": "a", "post_id": 1}),
        ("support_worried", {"post_id": 42}),
        ("community", {"slug": "a-b_c"}),
        ("community_report", {"slug": "a-b_c", "post_id": 7}),
        ("community_post_moderate", {"slug": "a-b_c", "post_id": 7}),
    ],
)
def test_links_are_what_reverse_makes(name, kwargs):
    arg = kwargs.get("username") or kwargs.get("slug") or ""
    assert link(name, arg, kwargs.get("post_id")) == reverse(name, kwargs=kwargs)


def test_links_follow_the_script_prefix():
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/hearth/")
        assert link("post_save", "a", 5) == reverse(
            "post_save", kwargs={"username": "a", "post_id": 5}
        )
        assert link("post_save", "a", 5).startswith("/hearth/")
    finally:
        set_script_prefix("/")
