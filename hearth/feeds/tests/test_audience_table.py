"""Who sees a post, on every page that shows posts: one table-driven test.

Each case builds the same small world (an author and one person for every
relationship), publishes one post whose text carries a unique marker, renders
a page as one viewer and checks that the marker is there or not. A forbidden
post's own page answers 404, the same as a missing one.

The test is data:

- ``PAGES`` lists every page that shows posts. A row names the page, says
  whether it needs a login, whether a forbidden post answers 404, and gives a
  function that publishes the post (the page's own set-up, such as the reply
  that a thread or a notification shows) and returns the URL to render.
- ``EXPECTED`` is the visibility matrix: for each page and audience, one
  letter per relationship in ``RELATIONSHIPS`` order, ``Y`` for "sees the
  post", ``.`` for "does not".

A new page joins the test by adding one row to ``PAGES`` and a line per
audience to ``EXPECTED``; a new relationship by adding it to ``RELATIONSHIPS``, to
``World`` and one column to every line of ``EXPECTED``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction

from hearth.accounts.models import User
from hearth.accounts.services import block_create, circle_add, follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.communities.services import community_create, membership_join
from hearth.conftest import committed
from hearth.posts.models import Audience, Post
from hearth.posts.tests.factories import publish
from hearth.support.models import Supporter
from hearth.support.services import support_request_create

TAG = "audiencecheck"

# The five audiences of a post (unlisted: public, but never listed in a
# public place such as a tag page), and two places: a post addressed to a public
# or a private community (its author owns it; of the others only "circle" and
# the thread's host are members). A community decides who reads its posts.
# "support_supporters" is a request for support for "only supporters"
# (hearth.support): the author asks, and it is routed to the world's supporter.
AUDIENCES = [
    Audience.PUBLIC.value,
    Audience.UNLISTED.value,
    Audience.FOLLOWERS.value,
    Audience.CIRCLE.value,
    Audience.MENTIONED.value,
    "community_public",
    "community_private",
    "support_supporters",
]

# Column order of every line in EXPECTED.
RELATIONSHIPS = [
    "author",  # wrote the post
    "follower",  # follows the author
    "circle",  # follows the author and is in their close circle
    "mentioned",  # mentioned in the post, does not follow the author (a mention addresses them)
    "mentioned_follower",  # mentioned in the post and follows the author
    "stranger",  # signed in, no relationship
    "blocked",  # followed, was in the circle and mentioned; then the author blocked them
    "logged_out",
    # Opted in as a supporter for all of Hearth where the post is a request for
    # support, which is routed to them; anywhere else a stranger.
    "supporter",
]


@dataclass
class World:
    author: User
    follower: User
    circle: User
    mentioned: User
    mentioned_follower: User
    stranger: User
    blocked: User
    supporter: User
    # A bystander who starts threads the author replies to.
    host: User
    marker: str
    community_id: int | None = None

    def viewer(self, relationship: str) -> User | None:
        return None if relationship == "logged_out" else getattr(self, relationship)

    def text(self) -> str:
        # The marker comes first so it is inside any excerpt a page shows.
        return (
            f"{self.marker} hello @{self.mentioned.username} "
            f"@{self.mentioned_follower.username} @{self.blocked.username} #{TAG}"
        )


def build_world() -> World:
    """Eight people; everyone but the stranger, the host and the blocked one is set up as named.

    The blocked person starts out as a follower in the close circle (and the
    post mentions them); the block comes after the post is published, so it
    must also take back what was already delivered.
    """
    author = UserFactory()
    world = World(
        author=author,
        follower=UserFactory(),
        circle=UserFactory(),
        mentioned=UserFactory(),
        mentioned_follower=UserFactory(),
        stranger=UserFactory(),
        blocked=UserFactory(),
        supporter=UserFactory(),
        host=UserFactory(),
        marker=f"MARK{uuid.uuid4().hex}",
    )
    with committed():
        for person in (world.follower, world.circle, world.mentioned_follower, world.blocked):
            follow_create(follower=person, followee=author)
        circle_add(owner=author, member=world.circle)
        circle_add(owner=author, member=world.blocked)
    return world


def placed(world: World, audience: str) -> dict[str, object]:
    """post_create arguments for `audience`: an audience, or a community made for it."""
    if not audience.startswith("community_"):
        return {"audience": audience}
    if world.community_id is None:
        place = community_create(
            creator=world.author,
            name="Audience check",
            slug=f"audience-{world.marker[-12:]}",
            description="A community for the audience table.",
            who_for="Tests.",
            visibility=audience.removeprefix("community_"),
            rules=["Be kind"],
        )
        for member in (world.circle, world.host):
            with committed():
                membership_join(community=place, user=member, accept_rules=True)
        world.community_id = place.pk
    return {"community_id": world.community_id}


SUPPORT = "support_supporters"


def publish_support(world: World, text: str) -> Post:
    """The author asks for support from "only supporters"; it is routed to the world's supporter.

    The supporter opts in with room for one request a week, written directly
    so that no "a supporter is available" event routes other worlds'
    requests to them: each world's request can only go to its own.
    """
    Supporter.objects.get_or_create(
        user=world.supporter,
        community=None,
        defaults={"topics": ",anything,", "weekly_capacity": 1},
    )
    with committed():
        request = support_request_create(
            asker=world.author, text=text, kind="listening", topic="other", audience="supporters"
        )
    return request.post


def publish_as(world: World, audience: str, text: str) -> Post:
    """Publish the post under test with `audience` (a request for support, for SUPPORT)."""
    if audience == SUPPORT:
        return publish_support(world, text)
    return publish(world.author, text, **placed(world, audience))


def block(world: World) -> None:
    with committed():
        block_create(blocker=world.author, blocked=world.blocked)


# --- page set-ups: publish the post this page should show, return the URL ---


def setup_root_post(world: World, audience: str) -> None:
    publish_as(world, audience, world.text())


def setup_home(world: World, audience: str) -> str:
    setup_root_post(world, audience)
    return "/home"


def setup_profile(world: World, audience: str) -> str:
    setup_root_post(world, audience)
    return f"/@{world.author.username}"


def setup_post(world: World, audience: str) -> str:
    post = publish_as(world, audience, world.text())
    return f"/@{world.author.username}/{post.pk}"


def setup_thread(world: World, audience: str) -> str:
    # A public post by a bystander that everyone may read; the author's reply
    # is the post under test.
    # In a community the host's thread is in it, and so is the reply.
    # A request for support: the author's own update under their request
    # (replies there stay among its readers); the thread is the request's.
    if audience == SUPPORT:
        request = publish_support(world, "A hard week. Could someone listen?")
        publish(world.author, world.text(), in_reply_to=request)
        return f"/@{world.author.username}/{request.pk}"
    where = placed(world, audience)
    parent = publish(
        world.host,
        "Anyone want to share what helped them this week?",
        community_id=where.get("community_id"),
    )
    reply_audience = str(where.get("audience", Audience.PUBLIC))
    publish(world.author, world.text(), audience=reply_audience, in_reply_to=parent)
    return f"/@{world.host.username}/{parent.pk}"


def setup_tag(world: World, audience: str) -> str:
    setup_root_post(world, audience)
    return f"/tags/{TAG}"


def setup_notifications(world: World, audience: str) -> str:
    # Every signed-in person wrote a post and the author replied to each: a
    # reply notification (for the mentioned people, possibly mention ones too).
    # In a community, the author's post there mentions people: mention
    # notifications, for those who may read it.
    # A request for support notifies the supporter it was routed to.
    if audience.startswith("community_") or audience == SUPPORT:
        setup_root_post(world, audience)
        return "/notifications"
    for relationship in RELATIONSHIPS:
        viewer = world.viewer(relationship)
        if viewer is not None:
            parent = publish(viewer, "Does anyone else find mornings hard?")
            publish(world.author, world.text(), audience=audience, in_reply_to=parent)
    return "/notifications"


@dataclass(frozen=True)
class Page:
    name: str
    setup: Callable[[World, str], str]
    login_required: bool = False
    # The page *is* the post: forbidden must look exactly like missing.
    forbidden_is_404: bool = False


PAGES = [
    Page("home", setup_home, login_required=True),
    Page("profile", setup_profile),
    Page("post", setup_post, forbidden_is_404=True),
    Page("thread", setup_thread),
    Page("tag", setup_tag),
    Page("notifications", setup_notifications, login_required=True),
]

# One letter per relationship, in RELATIONSHIPS order:
#    author follower circle mentioned mentioned_follower stranger blocked logged_out supporter
EXPECTED: dict[str, dict[str, str]] = {
    # Your own posts, and posts of people you follow that are meant for you.
    "home": {
        "public": "YYY.Y....",
        # Followers get it at home, as a public post.
        "unlisted": "YYY.Y....",
        "followers": "YYY.Y....",
        "circle": "Y.Y.Y....",
        "mentioned": "Y...Y....",
        # Members who keep the community in their home feed; not the author's followers.
        "community_public": "Y.Y......",
        "community_private": "Y.Y......",
        # Only supporters: never in anyone's home feed but the author's.
        "support_supporters": "Y........",
    },
    "profile": {
        "public": "YYYYYY.YY",
        "unlisted": "YYYYYY.YY",
        "followers": "YYYYY....",
        "circle": "Y.YYY....",
        "mentioned": "Y..YY....",
        "community_public": "YYYYYY.YY",
        # A mention does not open a private community to non-members.
        "community_private": "Y.Y......",
        # Only the author, the supporter it was routed to, and people it mentions.
        "support_supporters": "Y..YY...Y",
    },
    "post": {
        "public": "YYYYYY.YY",
        "unlisted": "YYYYYY.YY",
        "followers": "YYYYY....",
        "circle": "Y.YYY....",
        "mentioned": "Y..YY....",
        "community_public": "YYYYYY.YY",
        "community_private": "Y.Y......",
        "support_supporters": "Y..YY...Y",
    },
    "thread": {
        "public": "YYYYYY.YY",
        "unlisted": "YYYYYY.YY",
        "followers": "YYYYY....",
        "circle": "Y.YYY....",
        "mentioned": "Y..YY....",
        "community_public": "YYYYYY.YY",
        "community_private": "Y.Y......",
        # The request is for the supporter: to anyone else its thread does not exist.
        "support_supporters": "Y.......Y",
    },
    # Public posts only, whoever looks.
    "tag": {
        "public": "YYYYYY.YY",
        # Unlisted: readable by its link, never listed here, even to its author.
        "unlisted": ".........",
        "followers": ".........",
        "circle": ".........",
        "mentioned": ".........",
        "community_public": "YYYYYY.YY",
        # Tag pages are public: a private community's posts never show there.
        "community_private": ".........",
        "support_supporters": ".........",
    },
    # Nobody is notified of their own reply; nobody sees a reply they may not read.
    "notifications": {
        "public": ".YYYYY..Y",
        "unlisted": ".YYYYY..Y",
        "followers": ".YYYY....",
        "circle": "..YYY....",
        "mentioned": "...YY....",
        "community_public": "...YY....",
        "community_private": ".........",
        # Mentions for the mentioned; "asked for support" for the supporter.
        "support_supporters": "...YY...Y",
    },
}


def test_matrix_covers_every_page_audience_and_relationship() -> None:
    assert set(EXPECTED) == {page.name for page in PAGES}
    for page, rows in EXPECTED.items():
        assert set(rows) == set(AUDIENCES), page
        for audience, line in rows.items():
            assert len(line) == len(RELATIONSHIPS), (page, audience)
            assert set(line) <= {"Y", "."}, (page, audience)


@dataclass(frozen=True)
class Scene:
    world: World
    url: str


@pytest.fixture(scope="module")
def scenes(django_db_setup, django_db_blocker) -> Iterator[dict[tuple[str, str], Scene]]:
    """One world per (page, audience), built once for the module's 432 cases.

    Building a world costs dozens of writes and inline tasks; doing it per
    case made this file alone take half a minute. The worlds are written in
    one transaction that stays open across the module's tests (each test
    runs in a savepoint inside it, so what a request writes is undone) and
    is rolled back at the end, the way TestCase.setUpTestData works.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = {}
        for page in PAGES:
            for audience in AUDIENCES:
                world = build_world()
                url = page.setup(world, audience)
                block(world)
                built[(page.name, audience)] = Scene(world, url)
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


CASES = [
    pytest.param(page, audience, relationship, id=f"{page.name}-{audience}-{relationship}")
    for page in PAGES
    for audience in AUDIENCES
    for relationship in RELATIONSHIPS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "audience", "relationship"), CASES)
def test_who_sees_the_post(
    page: Page, audience: str, relationship: str, scenes, client_for
) -> None:
    scene = scenes[(page.name, audience)]
    world = scene.world
    viewer = world.viewer(relationship)
    expected = EXPECTED[page.name][audience][RELATIONSHIPS.index(relationship)] == "Y"

    response = client_for(viewer).get(scene.url)
    body = response.content.decode()

    if viewer is None and page.login_required:
        assert response.status_code == 302
        assert response["Location"].startswith("/login")
        assert not expected
        return
    if expected:
        assert response.status_code == 200
        assert world.marker in body, f"{relationship} should see the {audience} post on {scene.url}"
    else:
        # A private community's thread is in it from its first post: to
        # anyone else the thread page itself does not exist.
        hidden_thread = page.name == "thread" and audience in ("community_private", SUPPORT)
        assert response.status_code == (404 if page.forbidden_is_404 or hidden_thread else 200)
        assert world.marker not in body, (
            f"{relationship} must not see the {audience} post on {scene.url}"
        )
