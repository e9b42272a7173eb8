"""Who a request for support is routed to: one table-driven test.

Each row builds an asker and a few supporters described by `S`, asks for
support on `topic` (in a community when `community` is set) and names the
supporters who must be asked. A new rule joins the test as one more field
of `S` and the rows that exercise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.services import block_create, mute_create
from hearth.accounts.tests.factories import UserFactory
from hearth.communities.services import community_create, membership_join
from hearth.conftest import committed
from hearth.support import routing
from hearth.support.models import ROUTE_TO, Route, Supporter, SupportRequest
from hearth.support.services import support_request_create
from hearth.wellbeing.models import Preferences

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class S:
    """One supporter in a case."""

    name: str
    topics: str = "grief"
    capacity: int = 2
    # Requests already routed to them in the last seven days.
    load: int = 0
    paused: bool = False
    # "asker_blocks", "blocks_asker", "asker_mutes" or "mutes_asker".
    relation: str = ""
    # "now": quiet hours around now, in their own zone; "over": quiet hours
    # that ended an hour ago; "digest": a daily summary instead of live
    # notifications (not quiet: a request for support still comes at once).
    quiet: str = ""
    # "all" (Hearth-wide), "community" (the case's community, as a member) or
    # "community_left" (a community supporter who is no longer a member).
    scope: str = "all"


@dataclass(frozen=True)
class Case:
    name: str
    supporters: list[S]
    expected: set[str]
    topic: str = "grief"
    community: bool = False
    notes: list[str] = field(default_factory=list)


CASES = [
    Case("topic matches", [S("a", "grief"), S("b", "anxiety")], {"a"}),
    Case("anything at all matches every topic", [S("a", "anything"), S("b", "anxiety")], {"a"}),
    Case("one of several topics", [S("a", "anxiety,grief")], {"a"}),
    Case(
        "at most three, least loaded first",
        [S("a", load=1, capacity=3), S("b"), S("c"), S("d"), S("e", load=2, capacity=3)],
        {"b", "c", "d"},
    ),
    Case(
        "the loaded fill in when nobody else can",
        [S("a", load=1, capacity=3), S("b", load=2, capacity=3)],
        {"a", "b"},
    ),
    Case(
        "full capacity is never passed",
        [S("a", capacity=1, load=1), S("b", capacity=2, load=2), S("c")],
        {"c"},
    ),
    Case("capacity of twenty, nineteen used", [S("a", capacity=20, load=19)], {"a"}),
    Case("paused supporters are not asked", [S("a", paused=True), S("b")], {"b"}),
    Case("the asker blocked them", [S("a", relation="asker_blocks"), S("b")], {"b"}),
    Case("they blocked the asker", [S("a", relation="blocks_asker"), S("b")], {"b"}),
    Case("the asker muted them", [S("a", relation="asker_mutes"), S("b")], {"b"}),
    Case("they muted the asker", [S("a", relation="mutes_asker"), S("b")], {"b"}),
    Case("quiet hours", [S("a", quiet="now"), S("b")], {"b"}),
    Case("everybody quiet: the request waits", [S("a", quiet="now")], set()),
    Case("quiet hours that are over", [S("a", quiet="over")], {"a"}),
    Case("a daily summary is not quiet hours", [S("a", quiet="digest")], {"a"}),
    Case("nobody matches: the request waits in the pool", [S("a", "anxiety")], set()),
    Case(
        "a Hearth-wide request skips community supporters",
        [S("a", scope="community"), S("b")],
        {"b"},
        community=False,
    ),
    Case(
        "a community request goes to its own supporters",
        [S("a", scope="community"), S("b")],
        {"a"},
        community=True,
    ),
    Case(
        "a community supporter who left is not asked",
        [S("a", scope="community_left")],
        set(),
        community=True,
    ),
]


def quiet_hours(user: User, quiet: str) -> None:
    """Give `user` the wellbeing preferences a case's `quiet` names, in a far-off zone."""
    zone = ZoneInfo("Pacific/Auckland")
    here = timezone.now().astimezone(zone)
    hour = timedelta(hours=1)
    start: time | None
    end: time | None
    if quiet == "now":
        start, end = (here - hour).time(), (here + hour).time()
    elif quiet == "over":
        start, end = (here - 3 * hour).time(), (here - hour).time()
    else:
        start = end = None
    Preferences.objects.create(
        user=user,
        time_zone=str(zone),
        quiet_start=start,
        quiet_end=end,
        delivery="daily" if quiet == "digest" else "live",
    )


def build(case: Case) -> tuple[User, dict[str, User], int | None]:
    asker = UserFactory()
    community_id = None
    owner = UserFactory()
    place = community_create(
        creator=owner,
        name="Routing",
        slug=f"routing-{owner.pk}",
        description="A place.",
        who_for="Tests.",
        visibility="public",
        rules=["Be kind"],
    )
    if case.community:
        membership_join(community=place, user=asker, accept_rules=True)
        community_id = place.pk
    people: dict[str, User] = {}
    for s in case.supporters:
        user = UserFactory()
        people[s.name] = user
        scope = None
        if s.scope in ("community", "community_left"):
            if s.scope == "community":
                membership_join(community=place, user=user, accept_rules=True)
            scope = place
        Supporter.objects.create(
            user=user,
            community=scope,
            topics="," + s.topics + ",",
            weekly_capacity=s.capacity,
            paused=s.paused,
        )
        for _ in range(s.load):
            other = support_request_create(
                asker=UserFactory(),
                text="Earlier request",
                kind="listening",
                topic="other",
                audience="supporters",
                community_id=None,
            )
            if scope is not None:
                other.community = scope
            Route.objects.create(request=other, supporter=user, community=scope)
        if s.relation == "asker_blocks":
            block_create(blocker=asker, blocked=user)
        elif s.relation == "blocks_asker":
            block_create(blocker=user, blocked=asker)
        elif s.relation == "asker_mutes":
            mute_create(muter=asker, muted=user)
        elif s.relation == "mutes_asker":
            mute_create(muter=user, muted=asker)
        if s.quiet:
            quiet_hours(user, s.quiet)
    return asker, people, community_id


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_routing(case: Case) -> None:
    asker, people, community_id = build(case)
    with committed():
        request = support_request_create(
            asker=asker,
            text="It has been a hard month.",
            kind="listening",
            topic=case.topic,
            audience="community" if community_id else "supporters",
            community_id=community_id,
        )
    routed = set(
        Route.objects.filter(request=request, state=Route.State.ROUTED).values_list(
            "supporter_id", flat=True
        )
    )
    names = {name for name, user in people.items() if user.pk in routed}
    assert names == case.expected
    assert len(routed) <= ROUTE_TO
    for user in people.values():
        supporter = Supporter.objects.filter(user=user).first()
        assert supporter is not None
        load = routing.current_load(
            user_id=user.pk, community_id=supporter.community_id, now=request.created_at
        )
        assert load <= max(supporter.weekly_capacity, 0) or user.pk not in routed


def test_a_resolved_or_deleted_request_is_not_routed() -> None:
    asker = UserFactory()
    Supporter.objects.create(user=UserFactory(), topics=",anything,", weekly_capacity=5)
    request = support_request_create(
        asker=asker, text="Help", kind="advice", topic="health", audience="supporters"
    )
    request.state = SupportRequest.State.RESOLVED
    request.save()
    from hearth.support.services import support_request_route

    assert support_request_route(request_id=request.pk) == []
