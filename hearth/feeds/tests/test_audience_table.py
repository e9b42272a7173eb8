"""Who sees a post, on every page that shows posts: one table-driven test.

Each case builds the same small world (an author and one person for every
relationship), publishes one post whose text carries a unique marker, renders
a page as one viewer and checks that the marker is there or not. A forbidden
post's own page answers 404, the same as a missing one.

The test is data:

- ``PAGES`` lists every page that shows posts, or names the people and tags
  behind them. A row names the page, says whether it needs a login, whether
  a forbidden post answers 404, whether it is the client API (called with a
  token for the viewer), and gives a function that publishes the post (the
  page's own set-up, such as the reply that a thread or a notification
  shows) and returns the URL to render (or one per relationship: each
  person's own list). Pages that name people rather than show the post
  look for a needle of their own (the author's name, a tag) in one region
  of the page.
- ``EXPECTED`` is the visibility matrix: for each page and audience, one
  letter per relationship in ``RELATIONSHIPS`` order, ``Y`` for "sees the
  post", ``.`` for "does not".

A new page joins the test by adding one row to ``PAGES`` and a line per
audience to ``EXPECTED``; a new relationship by adding it to ``RELATIONSHIPS``, to
``World`` and one column to every line of ``EXPECTED``.
"""

from __future__ import annotations

import contextlib
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from hearth.accounts.models import User
from hearth.accounts.services import (
    block_create,
    circle_add,
    circle_remove,
    follow_create,
    follow_delete,
)
from hearth.accounts.tests.factories import UserFactory
from hearth.communities.models import Community
from hearth.communities.services import (
    community_create,
    member_ban,
    membership_join,
    membership_leave,
)
from hearth.conftest import committed
from hearth.feeds.lists import ListError, list_create, list_members_add
from hearth.posts.bookmarks import bookmark_add
from hearth.posts.boosts import boost_create, shareable
from hearth.posts.models import Audience, Post
from hearth.posts.tests.factories import publish
from hearth.support.models import Supporter
from hearth.support.services import support_request_create

if TYPE_CHECKING:
    # What the test client's requests return (django-stubs' name for it).
    from django.test.client import _MonkeyPatchedWSGIResponse

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
    # In a community (which asks for approval to join): a member who was
    # banned after the post, a member who left after it, and someone whose
    # request to join is still pending. Anywhere else, strangers.
    "banned",
    "left",
    "pending",
    # Followed the author, then stopped, after the post.
    "unfollowed",
    # Follows the author and was in the close circle; taken out after the post.
    "uncircled",
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
    banned: User
    left: User
    pending: User
    unfollowed: User
    uncircled: User
    # A bystander who starts threads the author replies to.
    host: User
    marker: str
    community_id: int | None = None
    # What the page must show, or not: the marker, unless the page names
    # people or tags rather than showing the post (set by its set-up).
    needle: str = ""

    def viewer(self, relationship: str) -> User | None:
        return None if relationship == "logged_out" else getattr(self, relationship)

    def signed_in(self) -> list[User]:
        return [v for r in RELATIONSHIPS if (v := self.viewer(r)) is not None]

    def text(self) -> str:
        # The marker comes first so it is inside any excerpt a page shows.
        return (
            f"{self.marker} hello @{self.mentioned.username} "
            f"@{self.mentioned_follower.username} @{self.blocked.username} #{TAG}"
        )


def build_world() -> World:
    """Fourteen people; everyone but the stranger, the host and the blocked one is set up as named.

    The blocked person starts out as a follower in the close circle (and the
    post mentions them); the block comes after the post is published, so it
    must also take back what was already delivered. So do the ban and the
    leaving of the community's banned and left members (see `part`).
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
        banned=UserFactory(),
        left=UserFactory(),
        pending=UserFactory(),
        unfollowed=UserFactory(),
        uncircled=UserFactory(),
        host=UserFactory(),
        marker=f"MARK{uuid.uuid4().hex}",
    )
    with committed():
        for person in (
            world.follower,
            world.circle,
            world.mentioned_follower,
            world.blocked,
            world.unfollowed,
            world.uncircled,
        ):
            follow_create(follower=person, followee=author)
        for person in (world.circle, world.blocked, world.uncircled):
            circle_add(owner=author, member=person)
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
            join_policy=Community.JoinPolicy.APPROVAL,
            rules=["Be kind"],
        )
        # Members come in by invite link (no approval needed); the pending
        # person asks without one and waits.
        for member in (world.circle, world.host, world.banned, world.left):
            with committed():
                membership_join(
                    community=place, user=member, accept_rules=True, code=place.invite_code
                )
        with committed():
            membership_join(community=place, user=world.pending, accept_rules=True)
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


def part(world: World) -> None:
    """After the page's set-up: the author blocks `blocked`, `unfollowed` stops following,
    `uncircled` leaves the circle; in a community, one member is banned and one leaves.
    What they could see before, and may no longer, must go."""
    with committed():
        block_create(blocker=world.author, blocked=world.blocked)
    with committed():
        follow_delete(follower=world.unfollowed, followee=world.author)
    with committed():
        circle_remove(owner=world.author, member=world.uncircled)
    if world.community_id is None:
        return
    place = Community.objects.get(pk=world.community_id)
    with committed():
        member_ban(
            community=place,
            moderator=world.author,
            user_id=world.banned.pk,
            days=None,
            reason="Repeated personal attacks",
        )
    with committed():
        membership_leave(community=place, user=world.left)


# --- page set-ups: publish the post this page should show, return the URL ---


def setup_root_post(world: World, audience: str) -> Post:
    return publish_as(world, audience, world.text())


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


def only(post: Post) -> str:
    """Query parameters that page a public listing down to `post` alone.

    Every world's post carries the tag and the worlds are built before any
    case runs, so a listing's first page would hold later worlds' posts.
    """
    return f"max_id={post.pk + 1}"


def setup_tag(world: World, audience: str) -> str:
    post = setup_root_post(world, audience)
    return f"/tags/{TAG}?{only(post)}"


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


def _can_read(viewer: User, post: Post) -> bool:
    return Post.objects.visible_to(viewer).filter(pk=post.pk).exists()


def setup_saved(world: World, audience: str) -> str:
    # Everyone who can read the post saves it; then the block, the ban and
    # the leaving (part) change who may still read it: a bookmark never
    # keeps a post readable.
    post = setup_root_post(world, audience)
    for viewer in world.signed_in():
        if _can_read(viewer, post):
            bookmark_add(user=viewer, post=post)
    return "/saved"


def setup_list(world: World, audience: str) -> dict[str, str]:
    # Every signed-in person has a list of their own; those who follow the
    # author (the blocked one too, before the block) put the author in it.
    setup_root_post(world, audience)
    urls = {}
    for relationship in RELATIONSHIPS:
        viewer = world.viewer(relationship)
        if viewer is None:
            continue
        reading_list = list_create(owner=viewer, title="People I read")
        with contextlib.suppress(ListError):  # Does not follow the author: an empty list.
            list_members_add(reading_list=reading_list, owner=viewer, members=[world.author])
        urls[relationship] = f"/api/v1/timelines/list/{reading_list.pk}"
    urls["logged_out"] = urls["stranger"]
    return urls


def _name_the_author(world: World) -> None:
    # A display name found nowhere else: pages that name people are checked for it.
    world.author.display_name = f"Poster{world.marker[-10:]}"
    world.author.save(update_fields=["display_name"])
    world.needle = world.author.display_name


def setup_visit(world: World, audience: str) -> str:
    # "Since your last visit" above the home feed names who posted and who
    # asked for support; only the card is checked (the feed has its own row).
    _name_the_author(world)
    setup_root_post(world, audience)
    return "/home"


def setup_reflection(world: World, audience: str) -> str:
    # The weekly reflection names the people one connected with: the author
    # replies (with the audience) to each signed-in person's post; in a
    # community, to its members' posts there; a request for support is
    # answered by the supporter it was routed to ("support you gave").
    _name_the_author(world)
    if audience == SUPPORT:
        request = publish_support(world, world.text())
        publish(world.supporter, "I'm here and listening, take your time.", in_reply_to=request)
        return "/wellbeing/reflection"
    where = placed(world, audience)
    writers = (
        [world.circle, world.banned, world.left]
        if "community_id" in where
        else [v for v in world.signed_in() if v != world.author]
    )
    for viewer in writers:
        parent = publish(
            viewer, "Does anyone else find mornings hard?", community_id=where.get("community_id")
        )
        publish(
            world.author,
            world.text(),
            audience=str(where.get("audience", Audience.PUBLIC)),
            in_reply_to=parent,
        )
    return "/wellbeing/reflection"


def setup_search_people(world: World, audience: str) -> str:
    # Whatever the post, people search finds the author for all but the
    # person they blocked.
    world.needle = f'href="/@{world.author.username}"'
    return f"/search?q={world.author.username}"


def setup_search_tags(world: World, audience: str) -> str:
    # A hashtag used on this post alone: search names it only if the post is
    # public and outside any private community.
    tag = f"tally{world.marker[-12:]}"
    world.needle = f'href="/tags/{tag}"'
    publish_as(world, audience, f"{world.text()} #{tag}")
    return f"/search?q=%23{tag}"


def setup_api_public(world: World, audience: str) -> str:
    post = setup_root_post(world, audience)
    return f"/api/v1/timelines/public?{only(post)}"


def setup_api_tag(world: World, audience: str) -> str:
    post = setup_root_post(world, audience)
    return f"/api/v1/timelines/tag/{TAG}?{only(post)}"


def setup_api_search(world: World, audience: str) -> str:
    setup_root_post(world, audience)
    return f"/api/v2/search?q={world.marker}&type=statuses"


def setup_shared(world: World, audience: str) -> str:
    # Everyone but the author follows the host, who shares the post where it
    # may be shared (public, or in a public community); the author then
    # blocks `blocked`, whose home feed must lose the share.
    post = setup_root_post(world, audience)
    with committed():
        for viewer in world.signed_in():
            if viewer != world.author:
                follow_create(follower=viewer, followee=world.host)
    if shareable(post):
        with committed():
            boost_create(booster=world.host, post=post)
    return "/home"


@dataclass(frozen=True)
class Page:
    name: str
    setup: Callable[[World, str], str | dict[str, str]]
    login_required: bool = False
    # The page *is* the post: forbidden must look exactly like missing.
    forbidden_is_404: bool = False
    # The client API, with a token for the viewer (none when logged out).
    api: bool = False
    # Look for the needle only between these two strings of the page (the
    # part that names people, not the rest of the page).
    region: tuple[str, str] | None = None
    # The audiences that matter here (all, unless the page does not depend on the post).
    audiences: tuple[str, ...] = tuple(AUDIENCES)


PAGES = [
    Page("home", setup_home, login_required=True),
    Page("profile", setup_profile),
    Page("post", setup_post, forbidden_is_404=True),
    Page("thread", setup_thread),
    Page("tag", setup_tag),
    Page("notifications", setup_notifications, login_required=True),
    Page("saved", setup_saved, login_required=True),
    Page("list", setup_list, login_required=True, api=True),
    Page(
        "visit",
        setup_visit,
        login_required=True,
        region=('class="card visit-summary"', "</section>"),
    ),
    Page(
        "reflection",
        setup_reflection,
        login_required=True,
        region=('class="reflection"', "</main>"),
    ),
    Page(
        "search_people",
        setup_search_people,
        region=("<h2>People</h2>", "</main>"),
        audiences=(Audience.PUBLIC.value,),
    ),
    Page("search_tags", setup_search_tags),
    Page("api_public", setup_api_public, api=True),
    Page("api_tag", setup_api_tag, api=True),
    Page("api_search", setup_api_search, api=True),
    Page("shared", setup_shared, login_required=True),
]

# One letter per relationship, in RELATIONSHIPS order:
#    author follower circle mentioned mentioned_follower stranger blocked logged_out supporter
#    banned left pending unfollowed uncircled
EXPECTED: dict[str, dict[str, str]] = {
    # Your own posts, and posts of people you follow that are meant for you.
    "home": {
        "public": "YYY.Y........Y",
        # Followers get it at home, as a public post.
        "unlisted": "YYY.Y........Y",
        "followers": "YYY.Y........Y",
        "circle": "Y.Y.Y.........",
        "mentioned": "Y...Y.........",
        # Members who keep the community in their home feed; not the author's followers.
        # A ban or leaving takes the community's posts out of one's home feed.
        "community_public": "Y.Y...........",
        "community_private": "Y.Y...........",
        # Only supporters: never in anyone's home feed but the author's.
        "support_supporters": "Y.............",
    },
    "profile": {
        "public": "YYYYYY.YYYYYYY",
        "unlisted": "YYYYYY.YYYYYYY",
        "followers": "YYYYY........Y",
        "circle": "Y.YYY.........",
        "mentioned": "Y..YY.........",
        "community_public": "YYYYYY.YYYYYYY",
        # A mention does not open a private community to non-members.
        "community_private": "Y.Y...........",
        # Only the author, the supporter it was routed to, and people it mentions.
        "support_supporters": "Y..YY...Y.....",
    },
    "post": {
        "public": "YYYYYY.YYYYYYY",
        "unlisted": "YYYYYY.YYYYYYY",
        "followers": "YYYYY........Y",
        "circle": "Y.YYY.........",
        "mentioned": "Y..YY.........",
        "community_public": "YYYYYY.YYYYYYY",
        "community_private": "Y.Y...........",
        "support_supporters": "Y..YY...Y.....",
    },
    "thread": {
        "public": "YYYYYY.YYYYYYY",
        "unlisted": "YYYYYY.YYYYYYY",
        "followers": "YYYYY........Y",
        "circle": "Y.YYY.........",
        "mentioned": "Y..YY.........",
        "community_public": "YYYYYY.YYYYYYY",
        "community_private": "Y.Y...........",
        # The request is for the supporter: to anyone else its thread does not exist.
        "support_supporters": "Y.......Y.....",
    },
    # Public posts only, whoever looks.
    "tag": {
        "public": "YYYYYY.YYYYYYY",
        # Unlisted: readable by its link, never listed here, even to its author.
        "unlisted": "..............",
        "followers": "..............",
        "circle": "..............",
        "mentioned": "..............",
        "community_public": "YYYYYY.YYYYYYY",
        # Tag pages are public: a private community's posts never show there.
        "community_private": "..............",
        "support_supporters": "..............",
    },
    # Nobody is notified of their own reply; nobody sees a reply they may not read.
    "notifications": {
        "public": ".YYYYY..YYYYYY",
        "unlisted": ".YYYYY..YYYYYY",
        "followers": ".YYYY........Y",
        "circle": "..YYY.........",
        "mentioned": "...YY.........",
        "community_public": "...YY.........",
        "community_private": "..............",
        # Mentions for the mentioned; "asked for support" for the supporter.
        "support_supporters": "...YY...Y.....",
    },
    # Saved while they could read it; gone once they may not (a block, a
    # ban or leaving a private community), as on the post's own page.
    "saved": {
        "public": "YYYYYY..YYYYYY",
        "unlisted": "YYYYYY..YYYYYY",
        "followers": "YYYYY........Y",
        "circle": "Y.YYY.........",
        "mentioned": "Y..YY.........",
        # A public community stays readable by anyone, banned or gone.
        "community_public": "YYYYYY..YYYYYY",
        "community_private": "Y.Y...........",
        "support_supporters": "Y..YY...Y.....",
    },
    # A list holds people its owner follows: the author's readers among them.
    "list": {
        "public": ".YY.Y........Y",
        "unlisted": ".YY.Y........Y",
        "followers": ".YY.Y........Y",
        "circle": "..Y.Y.........",
        "mentioned": "....Y.........",
        "community_public": ".YY.Y........Y",
        "community_private": "..Y...........",
        "support_supporters": "....Y.........",
    },
    # "Since your last visit": the home feed's posts by name, never your own.
    "visit": {
        "public": ".YY.Y........Y",
        "unlisted": ".YY.Y........Y",
        "followers": ".YY.Y........Y",
        "circle": "..Y.Y.........",
        "mentioned": "....Y.........",
        # As on the home feed: gone after a ban or leaving.
        "community_public": "..Y...........",
        "community_private": "..Y...........",
        # Only supporters: "asked for support" only to a follower who may read
        # it (it mentions them), never to the author's other followers.
        "support_supporters": "....Y.........",
    },
    # Named as "replied to you" only by those who may read the reply.
    "reflection": {
        "public": ".YYYYY..YYYYYY",
        "unlisted": ".YYYYY..YYYYYY",
        "followers": ".YYYY........Y",
        "circle": "..YYY.........",
        "mentioned": "...YY.........",
        # Replies to members' posts there: a public community's stay readable.
        "community_public": "..Y......YY...",
        "community_private": "..Y...........",
        # "Support you gave": the supporter who answered.
        "support_supporters": "........Y.....",
    },
    # People search does not depend on the post (one audience is enough):
    # everyone but the person the author blocked finds the author.
    "search_people": {
        "public": "YYYYYY.YYYYYYY",
    },
    # A hashtag is named if a listed public post uses it, to anyone: a tag
    # says nothing of who used it (the blocked one still can't read the post).
    "search_tags": {
        "public": "YYYYYYYYYYYYYY",
        "unlisted": "..............",
        "followers": "..............",
        "circle": "..............",
        "mentioned": "..............",
        "community_public": "YYYYYYYYYYYYYY",
        "community_private": "..............",
        "support_supporters": "..............",
    },
    # The client API's public places list what the tag page lists.
    "api_public": {
        "public": "YYYYYY.YYYYYYY",
        "unlisted": "..............",
        "followers": "..............",
        "circle": "..............",
        "mentioned": "..............",
        "community_public": "YYYYYY.YYYYYYY",
        "community_private": "..............",
        "support_supporters": "..............",
    },
    "api_tag": {
        "public": "YYYYYY.YYYYYYY",
        "unlisted": "..............",
        "followers": "..............",
        "circle": "..............",
        "mentioned": "..............",
        "community_public": "YYYYYY.YYYYYYY",
        "community_private": "..............",
        "support_supporters": "..............",
    },
    # Post search needs a token; it finds what one may read, but not others'
    # unlisted posts (search is a public place).
    "api_search": {
        "public": "YYYYYY..YYYYYY",
        "unlisted": "Y.............",
        "followers": "YYYYY........Y",
        "circle": "Y.YYY.........",
        "mentioned": "Y..YY.........",
        "community_public": "YYYYYY..YYYYYY",
        "community_private": "Y.Y...........",
        "support_supporters": "Y..YY...Y.....",
    },
    # Home feeds of people who follow the host, who shared the post where
    # that is allowed: never to the one the author blocked.
    "shared": {
        # `unfollowed` had the post directly when it was shared, so the share
        # was not delivered to them as well; the unfollow then took the post
        # away; so with `banned` and `left` for a community's post, which came
        # through the membership and left the feed with it. Missing a share is
        # allowed here; showing one to `blocked` is not.
        "public": "YYYYYY..YYYY.Y",
        "unlisted": "YYY.Y........Y",
        "followers": "YYY.Y........Y",
        "circle": "Y.Y.Y.........",
        "mentioned": "Y...Y.........",
        "community_public": "YYYYYY..Y..YYY",
        "community_private": "Y.Y...........",
        "support_supporters": "Y.............",
    },
}


def test_matrix_covers_every_page_audience_and_relationship() -> None:
    assert set(EXPECTED) == {page.name for page in PAGES}
    for page in PAGES:
        rows = EXPECTED[page.name]
        assert set(rows) == set(page.audiences), page.name
        for audience, line in rows.items():
            assert len(line) == len(RELATIONSHIPS), (page.name, audience)
            assert set(line) <= {"Y", "."}, (page.name, audience)


@dataclass(frozen=True)
class Scene:
    world: World
    # One URL for everyone, or one per relationship (each person's own list).
    url: str | dict[str, str]

    def url_for(self, relationship: str) -> str:
        return self.url if isinstance(self.url, str) else self.url[relationship]


@pytest.fixture(scope="module")
def scenes(django_db_setup, django_db_blocker) -> Iterator[dict[tuple[str, str], Scene]]:
    """One world per (page, audience), built once for the module's cases.

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
            for audience in page.audiences:
                world = build_world()
                url = page.setup(world, audience)
                world.needle = world.needle or world.marker
                part(world)
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
    for audience in page.audiences
    for relationship in RELATIONSHIPS
]


def bearer(viewer: User) -> str:
    """A read token for `viewer`, as the OAuth token endpoint would issue.

    Made here rather than with hearth/api/tests' fixtures: a domain app's
    tests may call the API over HTTP but not import it (import-linter).
    """
    app = Application.objects.create(
        name="Audience table",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
    )
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=viewer,
        application=app,
        token=raw,
        expires=timezone.now() + timedelta(hours=1),
        scope="read",
    )
    return f"Bearer {raw}"


def fetch(
    page: Page, viewer: User | None, url: str, client_for: Callable[[User | None], Client]
) -> _MonkeyPatchedWSGIResponse:
    if not page.api:
        return client_for(viewer).get(url)
    headers = {"Authorization": bearer(viewer)} if viewer is not None else {}
    return client_for(None).get(url, headers=headers)


def shown(page: Page, body: str) -> str:
    """The part of `body` the page's needle is looked for in."""
    if page.region is None:
        return body
    start, end = page.region
    at = body.find(start)
    return "" if at < 0 else body[at : body.find(end, at)]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "audience", "relationship"), CASES)
def test_who_sees_the_post(
    page: Page, audience: str, relationship: str, scenes, client_for, settings
) -> None:
    scene = scenes[(page.name, audience)]
    world = scene.world
    viewer = world.viewer(relationship)
    expected = EXPECTED[page.name][audience][RELATIONSHIPS.index(relationship)] == "Y"
    url = scene.url_for(relationship)

    if page.api:
        # Each case counts its requests afresh, as hearth/api/tests do.
        settings.HEARTH_API_RATE_NAMESPACE = f"test-{uuid.uuid4().hex}"
    response = fetch(page, viewer, url, client_for)
    body = response.content.decode()

    if viewer is None and page.login_required:
        if page.api:
            assert response.status_code == 401
        else:
            assert response.status_code == 302
            assert response["Location"].startswith("/login")
        assert not expected
        return
    if expected:
        assert response.status_code == 200
        assert world.needle in shown(page, body), (
            f"{relationship} should see the {audience} post on {url}"
        )
    else:
        # A private community's thread is in it from its first post: to
        # anyone else the thread page itself does not exist.
        hidden_thread = page.name == "thread" and audience in ("community_private", SUPPORT)
        assert response.status_code == (404 if page.forbidden_is_404 or hidden_thread else 200)
        assert world.needle not in shown(page, body), (
            f"{relationship} must not see the {audience} post on {url}"
        )
