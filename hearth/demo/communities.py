"""The demo's communities: twelve places from the discovery catalogue, lived in.

Each is made from its entry in hearth/discovery/data/communities.json (name,
kind, description, who it is for, topics, rules) through the communities
services: the owner creates it, people join (by asking, by invite link, or
straight in), the owner appoints moderators and mentors. The catalogue's
posts are published by members as ordinary demo entries (see
`community_entries`), so they interleave in time with everyone's other posts.
After them comes a little moderation, so each kind of log entry shows up: a
pinned post, a locked thread, a removed post with its reason, a mute, a
report waiting in Maya's queue, a pending request to join, one open request
for a mentor and one mentorship under way.

Maya belongs to six: she moderates Plot and Patch, mentors in Climate Action
Neighbours, is being mentored in Long Run Sunday and joined New in Town
three days ago (so its composer still reminds her of the norms).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.communities.models import Community, LogEntry, Membership, MentorRequest, Report
from hearth.communities.services import (
    community_create,
    join_request_decide,
    member_mute,
    membership_join,
    mentor_request_accept,
    mentor_request_create,
    post_pin_set,
    post_remove,
    report_create,
    role_set,
    thread_lock_set,
)
from hearth.demo.content import ScriptError
from hearth.demo.script import Entry
from hearth.discovery.resonance import load_catalogue_data
from hearth.posts.models import Post

OPEN = Community.JoinPolicy.OPEN.value
APPROVAL = Community.JoinPolicy.APPROVAL.value
INVITE = Community.JoinPolicy.INVITE.value
MAX_TOPIC = 40


@dataclass(frozen=True)
class Place:
    """One community in the demo: who runs it, who belongs, how old it is.

    `members` join in order, long before the demo's ten days unless
    `recent` gives how many days ago someone joined (or asked to).
    """

    slug: str
    owner: str
    join_policy: str
    days_old: int
    members: tuple[str, ...]
    moderators: tuple[str, ...] = ()
    mentors: tuple[str, ...] = ()
    join_question: str = ""
    recent: tuple[tuple[str, float], ...] = ()


PLACES: tuple[Place, ...] = (
    Place(
        "plot-and-patch",
        "lena",
        APPROVAL,
        days_old=420,
        members=("bea", "rosa", "amara", "maya", "priya"),
        moderators=("maya",),
        mentors=("bea",),
        join_question="What are you growing, or hoping to grow?",
        recent=(("maya", 18),),
    ),
    Place(
        "long-run-sunday",
        "dev",
        OPEN,
        days_old=610,
        members=("theo", "omar", "jonah", "maya", "kenji"),
        moderators=("omar",),
        mentors=("theo",),
        recent=(("maya", 12), ("kenji", 4)),
    ),
    Place(
        "wheels-and-spokes",
        "priya",
        OPEN,
        days_old=300,
        members=("ines", "lena", "dev", "theo", "maya"),
        recent=(("maya", 16),),
    ),
    Place(
        "slow-stitches",
        "bea",
        OPEN,
        days_old=800,
        members=("noor", "rosa", "sam", "ines"),
        moderators=("noor",),
    ),
    Place(
        "after-a-parent-dies",
        "rosa",
        OPEN,
        days_old=170,
        members=("omar", "bea", "amara", "sam"),
        moderators=("omar",),
        mentors=("bea",),
    ),
    Place(
        "living-with-chronic-pain",
        "sam",
        OPEN,
        days_old=700,
        members=("bea", "priya", "noor"),
    ),
    Place(
        "anxiety-together",
        "omar",
        APPROVAL,
        days_old=520,
        members=("sam", "jonah"),
        join_question="Is there anything you'd like us to know? A line is plenty.",
    ),
    Place(
        "starting-over",
        "lena",
        INVITE,
        days_old=1100,
        members=("dev", "amara"),
    ),
    Place(
        "nurses-station",
        "rosa",
        APPROVAL,
        days_old=240,
        members=("omar",),
        join_question="Where do you work? A ward, the community, a care home: no names needed.",
    ),
    Place(
        "northside-food-share",
        "amara",
        OPEN,
        days_old=900,
        members=("kenji", "omar", "bea", "lena", "maya"),
        moderators=("kenji",),
        recent=(("maya", 19),),
    ),
    Place(
        "climate-action-neighbours",
        "priya",
        OPEN,
        days_old=380,
        members=("lena", "maya", "kenji", "noor", "ines"),
        mentors=("maya",),
        recent=(("maya", 17),),
    ),
    Place(
        "new-in-town",
        "dev",
        OPEN,
        days_old=460,
        members=("kenji", "ines", "theo", "noor", "maya"),
        recent=(("maya", 3),),
    ),
)

# Someone asking to join, still waiting in Plot and Patch's queue (Maya moderates it).
PENDING = (
    "plot-and-patch",
    "kenji",
    "Herbs on the windowsill so far. Lena says I'm ready for a courgette.",
)
# Someone whose request was approved, with their answer.
APPROVED = (
    "anxiety-together",
    "noor",
    "Anxiety since school. Sketching helps. I'd like to be somewhere people get it.",
)


@cache
def _catalogue() -> dict[str, dict[str, Any]]:
    return {entry["slug"]: entry for entry in load_catalogue_data()}


def said(slug: str, start: str) -> str:
    """The catalogue post of `slug` that begins with `start` (so the demo quotes it exactly)."""
    posts = [p for p in _catalogue()[slug]["recent_posts"] if p.startswith(start)]
    if len(posts) != 1:
        raise ScriptError(f"{slug} has no single catalogue post starting {start!r}.")
    return str(posts[0])


def topics_of(entry: Mapping[str, Any]) -> str:
    """The catalogue's topics as the community's topics: each phrase up to 40 characters."""
    parts = [p.strip() for topic in entry["topics"] for p in str(topic).split(",")]
    return ",".join([p for p in parts if p and len(p) <= MAX_TOPIC][:10])


def community_entries() -> tuple[Entry, ...]:
    """The catalogue's posts, written by members, with a few replies of the demo's own."""
    c = said
    return (
        # Plot and Patch
        Entry(
            "pp_brambles",
            "amara",
            200,
            c("plot-and-patch", "Got my first allotment"),
            community="plot-and-patch",
            reactions="lena:celebrate bea:celebrate rosa:celebrate",
        ),
        Entry(
            "pp_brambles_lena",
            "lena",
            198,
            "Cover half with cardboard and forget it until spring; dig the other half one bed "
            "at a time. And come and find plot 14: I have spare rhubarb.",
            reply_to="pp_brambles",
            reactions="amara:thank_you",
        ),
        Entry(
            "pp_slugs",
            "rosa",
            150,
            c("plot-and-patch", "The slugs have eaten"),
            community="plot-and-patch",
            tone="joking",
            reactions="lena:relate bea:relate maya:relate",
        ),
        Entry(
            "pp_slugs_priya",
            "priya",
            148,
            "Slug pellets kill hedgehogs. Anyone still using them should be ashamed of themselves.",
            reply_to="pp_slugs",
        ),
        Entry(
            "pp_slugs_bea",
            "bea",
            147,
            "Beer traps and a torch at dusk worked for me, Rosa. Grim but effective.",
            reply_to="pp_slugs",
            reactions="rosa:thank_you",
        ),
        Entry(
            "pp_balcony",
            "maya",
            70,
            c("plot-and-patch", "Tomatoes on the balcony"),
            community="plot-and-patch",
            reactions="lena:celebrate bea:love rosa:celebrate",
        ),
        Entry(
            "pp_compost",
            "bea",
            12,
            c("plot-and-patch", "Compost finally"),
            community="plot-and-patch",
            reactions="lena:celebrate maya:love",
        ),
        # Long Run Sunday
        Entry(
            "lrs_gels",
            "theo",
            215,
            c("long-run-sunday", "What do you eat on runs"),
            community="long-run-sunday",
            tone="advice",
        ),
        Entry(
            "lrs_gels_dev",
            "dev",
            214,
            "Salted new potatoes in a sandwich bag. I'm serious. Half the Thursday club swears "
            "by them.",
            reply_to="lrs_gels",
            reactions="theo:thank_you",
        ),
        Entry(
            "lrs_10k",
            "omar",
            60,
            c("long-run-sunday", "Ran my first 10k"),
            community="long-run-sunday",
            tone="celebrating",
            reactions="dev:celebrate theo:celebrate maya:celebrate jonah:celebrate",
        ),
        Entry(
            "lrs_shoes",
            "kenji",
            30,
            "Selling my barely used running shoes, size 9, £30. We did not get on.",
            community="long-run-sunday",
        ),
        # Wheels and Spokes
        Entry(
            "ws_commute",
            "ines",
            180,
            c("wheels-and-spokes", "Month one of commuting"),
            community="wheels-and-spokes",
            tone="celebrating",
            reactions="priya:celebrate lena:celebrate dev:celebrate",
        ),
        Entry(
            "ws_old_bike",
            "maya",
            100,
            c("wheels-and-spokes", "Got my old bike out"),
            community="wheels-and-spokes",
            reactions="priya:love ines:relate",
        ),
        Entry(
            "ws_old_bike_priya",
            "priya",
            99,
            "Bring it to the co-op on Saturday and I'll show you how to do the brakes yourself.",
            reply_to="ws_old_bike",
            reactions="maya:thank_you",
        ),
        Entry(
            "ws_old_bike_theo",
            "theo",
            98.5,
            "Whatever you do, get a helmet first. Anyone riding without one is asking for it.",
            reply_to="ws_old_bike",
        ),
        Entry(
            "ws_ride",
            "priya",
            50,
            c("wheels-and-spokes", "Beginner group ride"),
            community="wheels-and-spokes",
            reactions="maya:celebrate ines:love",
        ),
        # Slow Stitches
        Entry(
            "ss_hats",
            "bea",
            210,
            c("slow-stitches", "Knitting hats for the neonatal"),
            community="slow-stitches",
            reactions="noor:love rosa:love ines:love",
        ),
        Entry(
            "ss_crochet",
            "noor",
            130,
            c("slow-stitches", "Crochet is the only thing"),
            community="slow-stitches",
            reactions="bea:with_you sam:relate",
        ),
        Entry(
            "ss_k2tog",
            "rosa",
            80,
            c("slow-stitches", "Can someone explain"),
            community="slow-stitches",
            tone="genuine",
        ),
        Entry(
            "ss_k2tog_bea",
            "bea",
            79,
            "Knit two together, but through the back of the loops instead of the front. It "
            "leans the other way. Come round on Thursday and I'll show you with a teapot.",
            reply_to="ss_k2tog",
            reactions="rosa:thank_you",
        ),
        # After a Parent Dies
        Entry(
            "apd_laugh",
            "bea",
            230,
            c("after-a-parent-dies", "Ten years on"),
            community="after-a-parent-dies",
            reactions="rosa:love omar:with_you amara:love",
        ),
        Entry(
            "apd_phone",
            "rosa",
            175,
            c("after-a-parent-dies", "My dad died in April"),
            community="after-a-parent-dies",
            reactions="bea:with_you omar:with_you sam:with_you",
        ),
        Entry(
            "apd_phone_omar",
            "omar",
            174,
            "I still reach for the phone for my father, six years on. Less often. It stops "
            "feeling like a mistake and starts feeling like saying hello.",
            reply_to="apd_phone",
            reactions="rosa:thank_you",
        ),
        Entry(
            "apd_work",
            "amara",
            120,
            c("after-a-parent-dies", "Colleagues were lovely"),
            community="after-a-parent-dies",
            tone="advice",
            reactions="rosa:relate bea:with_you",
        ),
        # Living with Chronic Pain
        Entry(
            "lcp_pacing",
            "sam",
            160,
            c("living-with-chronic-pain", "Pacing tip"),
            community="living-with-chronic-pain",
            reactions="bea:thank_you noor:thank_you priya:thank_you",
        ),
        Entry(
            "lcp_doctor",
            "bea",
            100,
            c("living-with-chronic-pain", "Finally got a rheumatologist"),
            community="living-with-chronic-pain",
            reactions="sam:celebrate priya:celebrate",
        ),
        Entry(
            "lcp_invisible",
            "sam",
            60,
            c("living-with-chronic-pain", "People keep saying"),
            community="living-with-chronic-pain",
            tone="venting",
            reactions="bea:relate noor:with_you priya:with_you",
        ),
        # Anxiety Together (private)
        Entry(
            "at_call",
            "noor",
            150,
            c("anxiety-together", "Made a phone call"),
            community="anxiety-together",
            tone="celebrating",
            reactions="omar:celebrate sam:celebrate jonah:celebrate",
        ),
        Entry(
            "at_rehearse",
            "jonah",
            90,
            c("anxiety-together", "Does anyone else rehearse"),
            community="anxiety-together",
            reactions="noor:relate sam:relate",
        ),
        Entry(
            "at_rehearse_omar",
            "omar",
            89,
            "Every night for years. What helps me: write the conversation down once, then close "
            "the notebook. It's been had. 5-4-3-2-1 for the rest.",
            reply_to="at_rehearse",
            reactions="jonah:thank_you noor:thank_you",
        ),
        # Starting Over (private, by invitation)
        Entry(
            "so_date",
            "dev",
            110,
            c("starting-over", "Went on a first date"),
            community="starting-over",
            reactions="lena:celebrate amara:celebrate",
        ),
        Entry(
            "so_date_lena",
            "lena",
            109,
            "That's exactly how it should go. Nine years on from mine: it gets good again.",
            reply_to="so_date",
        ),
        Entry(
            "so_sofa",
            "amara",
            45,
            c("starting-over", "Bought a sofa"),
            community="starting-over",
            reactions="lena:love dev:celebrate",
        ),
        # Nurses' Station
        Entry(
            "ns_nights",
            "rosa",
            190,
            c("nurses-station", "Four nights in a row"),
            community="nurses-station",
            tone="venting",
            reactions="omar:with_you",
        ),
        Entry(
            "ns_tea",
            "rosa",
            35,
            c("nurses-station", "Shout out to the HCA"),
            community="nurses-station",
            reactions="omar:love",
        ),
        # Northside Food Share
        Entry(
            "nfs_shift",
            "amara",
            182,
            c("northside-food-share", "Saturday shift needs"),
            community="northside-food-share",
        ),
        Entry(
            "nfs_shift_maya",
            "maya",
            181,
            "I'm in! First time, so someone tell me where the kettle is.",
            reply_to="nfs_shift",
            reactions="amara:thank_you",
        ),
        Entry(
            "nfs_shift_kenji",
            "kenji",
            180.5,
            "Me too. I can sort tins even if I can't cook what's in them yet.",
            reply_to="nfs_shift",
            reactions="amara:thank_you maya:love",
        ),
        Entry(
            "nfs_shift_full",
            "amara",
            176,
            "All four places filled, thank you! Locking this so nobody turns up to a full shift.",
            reply_to="nfs_shift",
        ),
        Entry(
            "nfs_lunch",
            "amara",
            100,
            c("northside-food-share", "Free Friday lunch"),
            community="northside-food-share",
            reactions="bea:love omar:love lena:love",
        ),
        Entry(
            "nfs_family",
            "amara",
            22,
            c("northside-food-share", "A family who used"),
            community="northside-food-share",
            reactions="maya:love kenji:love bea:love omar:love",
        ),
        # Climate Action Neighbours
        Entry(
            "can_trees",
            "lena",
            140,
            c("climate-action-neighbours", "Planted 40 trees"),
            community="climate-action-neighbours",
            reactions="priya:celebrate noor:love",
        ),
        Entry(
            "can_trees_maya",
            "maya",
            139,
            "Street trees are my day job, and this made my week. Which species did you go for?",
            reply_to="can_trees",
        ),
        Entry(
            "can_trees_lena",
            "lena",
            138,
            "Rowan, hornbeam and two wild cherries. The children named one of the cherries Kevin.",
            reply_to="can_trees_maya",
            reactions="maya:love",
        ),
        Entry(
            "can_lane",
            "priya",
            75,
            c("climate-action-neighbours", "Our council finally approved"),
            community="climate-action-neighbours",
            tone="celebrating",
            reactions="lena:celebrate maya:celebrate ines:celebrate kenji:celebrate",
        ),
        Entry(
            "can_hopeless",
            "noor",
            26,
            c("climate-action-neighbours", "Some days the news"),
            community="climate-action-neighbours",
            reactions="maya:relate lena:with_you priya:with_you",
        ),
        # New in Town
        Entry(
            "nit_quiz",
            "kenji",
            120,
            c("new-in-town", "Quiz night on Thursday"),
            community="new-in-town",
            tone="joking",
            reactions="dev:celebrate noor:love",
        ),
        Entry(
            "nit_walk",
            "dev",
            66,
            c("new-in-town", "Sunday walk along the canal"),
            community="new-in-town",
            reactions="maya:love kenji:love theo:love",
        ),
        Entry(
            "nit_friends",
            "maya",
            50,
            c("new-in-town", "It's hard to make friends"),
            community="new-in-town",
            reactions="ines:relate noor:relate kenji:with_you",
        ),
        Entry(
            "nit_friends_kenji",
            "kenji",
            49,
            "Come on the Sunday walk! I'll be the one carrying too many snacks.",
            reply_to="nit_friends",
            reactions="maya:thank_you",
        ),
        Entry(
            "nit_friends_dev",
            "dev",
            48,
            c("new-in-town", "Met my now best friend"),
            reply_to="nit_friends",
            reactions="maya:love",
        ),
    )


def communities_create(users: dict[str, User]) -> dict[str, Community]:
    """Every place, its rules and its people, through the services, as their owners would."""
    catalogue = _catalogue()
    made: dict[str, Community] = {}
    for place in PLACES:
        entry = catalogue[place.slug]
        owner = users[place.owner]
        community = community_create(
            creator=owner,
            name=entry["name"],
            slug=place.slug,
            description=entry["description"],
            who_for=entry["who_for"],
            topics=topics_of(entry),
            kind=entry["kind"],
            visibility=entry["visibility"],
            join_policy=place.join_policy,
            join_question=place.join_question,
            rules=entry["rules"],
        )
        # A member invited by link, or welcomed in by the owner, comes straight in.
        code = community.invite_code if place.join_policy != OPEN else ""
        for username in place.members:
            membership_join(community=community, user=users[username], accept_rules=True, code=code)
        for username in place.moderators:
            role_set(community=community, actor=owner, user_id=users[username].pk, role="moderator")
        for username in place.mentors:
            role_set(community=community, actor=owner, user_id=users[username].pk, role="mentor")
        made[place.slug] = community
    slug, username, answer = APPROVED
    place_of = {p.slug: p for p in PLACES}
    membership_join(community=made[slug], user=users[username], accept_rules=True, answer=answer)
    join_request_decide(
        community=made[slug],
        moderator=users[place_of[slug].owner],
        user_id=users[username].pk,
        approve=True,
    )
    slug, username, answer = PENDING
    membership_join(community=made[slug], user=users[username], accept_rules=True, answer=answer)
    return made


# When each moderator action happened, in hours ago: they are made in this order.
ACTION_HOURS = {"lock": 175, "report": 146, "mute": 98, "mentee": 96, "pin": 64, "remove": 29}


def moderation_create(
    users: dict[str, User], communities: dict[str, Community], posts: dict[str, Post]
) -> None:
    """A few days of looking after the places, oldest first, each through its service."""
    u, c = users, communities
    thread_lock_set(
        community=c["northside-food-share"],
        moderator=u["amara"],
        post=posts["nfs_shift"],
        locked=True,
    )
    report_create(
        community=c["plot-and-patch"],
        reporter=u["bea"],
        post=posts["pp_slugs_priya"],
        reason="Rule 1 asks us not to shame anyone about pesticides. I'm sure Priya meant well.",
    )
    member_mute(
        community=c["wheels-and-spokes"],
        moderator=u["priya"],
        user_id=u["theo"].pk,
        days=3,
        reason="Rule 2: no helmet debates, and this is the third this week. "
        "Back on Saturday; you can still read and react.",
    )
    request = mentor_request_create(
        community=c["long-run-sunday"],
        mentee=u["maya"],
        topic="Running my first 10k",
        hopes="I walk fast but I've never run further than for a bus. A weekly check-in "
        "and someone to talk me out of giving up would mean a lot.",
    )
    mentor_request_accept(community=c["long-run-sunday"], mentor=u["theo"], request_id=request.pk)
    post_pin_set(
        community=c["new-in-town"], moderator=u["dev"], post=posts["nit_walk"], pinned=True
    )
    post_remove(
        community=c["long-run-sunday"],
        moderator=u["dev"],
        post=posts["lrs_shoes"],
        reason="Kit sales need the moderators' OK first (rule 4), so nobody gets caught by a "
        "scam. Message me and we'll put them in the monthly swap thread.",
    )
    mentor_request_create(
        community=c["climate-action-neighbours"],
        mentee=u["ines"],
        topic="Getting my street to plant trees",
        hopes="My street in Rotterdam has no trees at all. I'd love help with who to ask, and "
        "how to get neighbours on board when my Dutch is still slow.",
    )


def dates_set(users: dict[str, User], communities: dict[str, Community]) -> None:
    """Date the communities, memberships, log and mentoring back to their place in time.

    Only timestamps change here, so one transaction is fine: no events ride on it.
    """
    now = timezone.now()
    hours = ACTION_HOURS
    with transaction.atomic():
        for place in PLACES:
            community = communities[place.slug]
            born = now - timedelta(days=place.days_old)
            Community.objects.filter(pk=community.pk).update(created_at=born)
            recent = dict(place.recent)
            joined: dict[int, datetime] = {users[place.owner].pk: born}
            for index, username in enumerate(place.members, start=1):
                step = (place.days_old - 12) * index / (len(place.members) + 1)
                days_ago = recent.get(username, place.days_old - step)
                joined[users[username].pk] = now - timedelta(days=days_ago)
            for membership in Membership.objects.filter(community=community):
                when = joined.get(membership.user_id)
                if when is None:  # asked to join, or approved, within the demo's days
                    when = now - timedelta(days=8 if membership.is_active else 1)
                Membership.objects.filter(pk=membership.pk).update(
                    created_at=when,
                    rules_accepted_at=when,
                    joined_at=when if membership.joined_at else None,
                )
            _log_dates(community, born, now)
        for request in MentorRequest.objects.select_related("community"):
            if request.state == MentorRequest.State.ACTIVE:
                asked = now - timedelta(hours=hours["mentee"] + 2)
                MentorRequest.objects.filter(pk=request.pk).update(
                    created_at=asked, accepted_at=now - timedelta(hours=hours["mentee"])
                )
            else:
                MentorRequest.objects.filter(pk=request.pk).update(
                    created_at=now - timedelta(hours=20)
                )
        Report.objects.update(created_at=now - timedelta(hours=hours["report"]))


def _log_dates(community: Community, born: datetime, now: datetime) -> None:
    """Appointments come soon after a community began; the rest at their ACTION_HOURS."""
    by_action: dict[str, float] = {
        LogEntry.Action.LOCK_THREAD: ACTION_HOURS["lock"],
        LogEntry.Action.MUTE: ACTION_HOURS["mute"],
        LogEntry.Action.PIN: ACTION_HOURS["pin"],
        LogEntry.Action.REMOVE_POST: ACTION_HOURS["remove"],
        LogEntry.Action.APPROVE: 8 * 24 - 1,
    }
    for index, entry in enumerate(LogEntry.objects.filter(community=community).order_by("id")):
        if entry.action in by_action:
            when = now - timedelta(hours=by_action[entry.action])
        else:
            when = born + timedelta(days=3 + 9 * index)
        LogEntry.objects.filter(pk=entry.pk).update(created_at=when)


def slugs_to_ids(communities: Mapping[str, Community]) -> dict[str, int]:
    return {slug: community.pk for slug, community in communities.items()}
