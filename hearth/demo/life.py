"""The demo's life beyond posts: conversations, upcoming gatherings, milestones, a newcomer.

Made through the services like everything else, after the communities: a
one-to-one and a group conversation, a message request, and an old exchange
gone quiet (so Maya's /people page has someone to reconnect with); five
upcoming gatherings (three hosted by communities, one online, one full with
a waitlist); five milestones, one of them on its anniversary today with
Maya's reminder already sent; and Wren, who joined through Bea's invite link
and is someone Maya may know.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.services import (
    follow_create,
    invite_create,
    profile_update,
    user_create_invited,
)
from hearth.communities.models import Community
from hearth.demo import images
from hearth.gatherings.models import Gathering, Rsvp
from hearth.gatherings.services import Details, gathering_create, rsvp_set
from hearth.messaging.models import Message
from hearth.messaging.services import conversation_start, message_send, request_accept
from hearth.posts.boosts import boost_create
from hearth.posts.milestones import (
    milestone_anniversaries_send,
    milestone_create,
    milestone_reminder_set,
)
from hearth.posts.models import Audience, MilestoneKind
from hearth.wellbeing.services import preferences_update

QUIET_DAYS_AGO = 95


def newcomer_create(users: dict[str, User], password: str) -> User:
    """Wren joins through Bea's invite link, and follows Maya and Rosa."""
    invite = invite_create(inviter=users["bea"])
    wren, problem = user_create_invited(
        username="wren",
        email="wren@demo.hearth.invalid",
        password=password,
        token=invite.token,
    )
    assert not problem, problem
    wren = profile_update(
        user=wren,
        fields={
            "display_name": "Wren Ashby",
            "pronouns": "she/her",
            "bio": "Just moved back to town. Potter, slow walker, bad at plants.",
            "story": "I came back to look after my mum and lost touch with most people here.",
            "languages": "English",
            "avatar_alt": "Initials WA on a moss green wash",
        },
        avatar=images.avatar("Wren Ashby", ("#5d7f4e", "#c9d8b6"), 99),
    )
    for name in ("maya", "rosa"):
        follow_create(follower=wren, followee=users[name])
    follow_create(follower=users["rosa"], followee=wren)
    users["wren"] = wren
    return wren


def conversations_create(users: dict[str, User]) -> None:
    """A one-to-one, a named group, a message request, and an exchange gone quiet."""
    maya, priya = users["maya"], users["priya"]
    talk, _ = conversation_start(
        initiator=priya, recipients=[maya], text="Are you still up for the seed swap on Saturday?"
    )
    message_send(
        conversation=talk, sender=maya, text="Yes! I've got far too many tomato seedlings."
    )
    message_send(conversation=talk, sender=priya, text="Perfect. I'll bring the good coffee.")

    group, _ = conversation_start(
        initiator=users["rosa"],
        recipients=[maya, users["bea"]],
        title="Allotment crew",
        text="Who has the key to the shed this week?",
    )
    message_send(conversation=group, sender=users["bea"], text="Me, it's on my keyring.")
    message_send(conversation=group, sender=maya, text="Thank you both. Compost day Thursday?")

    # Maya doesn't follow Wren: this one waits in her message requests.
    conversation_start(
        initiator=users["wren"],
        recipients=[maya],
        text="Hi Maya, Bea said you know everything about the allotments. Could I ask you a bit?",
    )

    # Maya and Omar used to talk; nothing since, so /people suggests saying hello.
    old, _ = conversation_start(
        initiator=maya, recipients=[users["omar"]], text="How did the half marathon go?"
    )
    request_accept(conversation=old, user=users["omar"])
    message_send(conversation=old, sender=users["omar"], text="Slow and happy. Thanks for asking!")
    message_send(conversation=old, sender=maya, text="That's the best kind. Let's run soon.")
    when = timezone.now() - timedelta(days=QUIET_DAYS_AGO)
    Message.objects.filter(conversation=old).update(created_at=when)


def _soon(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def gatherings_create(users: dict[str, User], communities: dict[str, Community]) -> None:
    """Upcoming gatherings: three by communities, one online, one full with a waitlist."""

    def make(
        host: str, title: str, days: int, hour: int, community: str = "", **fields: object
    ) -> Gathering:
        details = Details(
            title=title,
            tz="Europe/London",
            starts_local=_soon(days, hour),
            ends_local=_soon(days, hour) + timedelta(hours=2),
            **fields,  # type: ignore[arg-type]
        )
        return gathering_create(
            host=users[host],
            details=details,
            community=communities[community] if community else None,
        )

    swap = make(
        "lena",
        "Spring seed swap",
        4,
        10,
        "plot-and-patch",
        description="Bring seeds, seedlings or just curiosity. Tea provided.",
        area="Riverside allotments",
        address="Gate 3, Riverside allotments",
    )
    run = make(
        "dev",
        "Easy 5k and breakfast",
        6,
        8,
        "long-run-sunday",
        description="No one gets left behind. Breakfast after at the kiosk.",
        area="Victoria Park",
        address="The bandstand, Victoria Park",
        capacity=2,
    )
    ride = make(
        "priya",
        "Route planning call",
        2,
        19,
        "wheels-and-spokes",
        description="Let's plan the summer rides together.",
        online=True,
        meeting_url="https://meet.example.org/wheels-and-spokes",
    )
    picnic = make(
        "rosa",
        "Picnic by the pond",
        9,
        13,
        description="Bring a blanket and something to share.",
        area="Lordship Rec",
        address="By the pond, Lordship Rec",
    )
    for gathering, going in (
        (swap, ("maya", "priya", "bea")),
        (run, ("theo", "omar", "maya")),
        (ride, ("ines", "lena")),
        (picnic, ("maya", "bea", "lena")),
    ):
        for name in going:
            rsvp_set(gathering=gathering, user=users[name], state=Rsvp.State.GOING)
    rsvp_set(gathering=swap, user=users["amara"], state=Rsvp.State.MAYBE)


def _years_ago(years: int, today: date) -> date:
    if today.month == 2 and today.day == 29:
        today = today - timedelta(days=1)
    return today.replace(year=today.year - years)


def milestones_create(users: dict[str, User]) -> None:
    """Five milestones; Rosa's recovery anniversary is today and Maya asked to be reminded."""
    today = timezone.localdate()
    new_job = milestone_create(
        author=users["priya"],
        kind=MilestoneKind.NEW_JOB,
        when=today - timedelta(days=3),
        text="First week as a bike mechanic at the co-op. My hands are black and I'm so happy.",
    )
    recovery = milestone_create(
        author=users["rosa"],
        kind=MilestoneKind.RECOVERY,
        when=_years_ago(3, today),
        text="Three years sober today. Thank you to everyone who sat with me on the hard days.",
        audience=Audience.FOLLOWERS,
    )
    milestone_create(
        author=users["bea"],
        kind=MilestoneKind.MOVED,
        when=today - timedelta(days=20),
        text="Keys in hand! A tiny flat with a big window and room for tomatoes.",
    )
    milestone_create(
        author=users["jonah"],
        kind=MilestoneKind.GRADUATION,
        when=today - timedelta(days=60),
        text="Finished my nursing degree at 41. Never too late.",
    )
    marathon = milestone_create(
        author=users["kenji"],
        kind=MilestoneKind.CUSTOM,
        label="First marathon",
        when=today - timedelta(days=9),
        text="42.2 km. Walked some of it. Finished all of it.",
    )
    # Good news travels: two shares, so home feeds and profiles show "X shared".
    boost_create(booster=users["jonah"], post=new_job.post)
    boost_create(booster=users["bea"], post=marathon.post)
    milestone_reminder_set(user=users["maya"], milestone=recovery, on=True)
    milestone_anniversaries_send()


def wellbeing_create(users: dict[str, User]) -> None:
    """Maya has asked for the weekly reflection, so the home page offers it."""
    preferences_update(
        user=users["maya"], time_zone="Europe/Berlin", weekly_reflection=True, reflection_weekday=6
    )
