"""The demo's people and the ties between them, made through the account services."""

from __future__ import annotations

from dataclasses import dataclass

from hearth.accounts.models import User
from hearth.accounts.services import (
    circle_add,
    follow_create,
    follow_request_accept,
    profile_update,
    user_create,
)
from hearth.demo import images


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    pronouns: str
    bio: str
    story: str
    languages: str
    colours: tuple[str, str]
    avatar_alt: str
    locked: bool = False


PEOPLE: tuple[Person, ...] = (
    Person(
        "maya",
        "Maya Okafor",
        "she/her",
        "Landscape architect, new to Leeds. Balcony gardener, slow cook, fast walker.",
        "Three weeks ago I packed my life into a hired van and moved from Bristol to Leeds "
        "for a job designing parks. I know four people here, two of them through work. "
        "I'm on Hearth to find the other ones: people who like soil under their nails, "
        "long walks with no destination, and honest conversations about starting over "
        "in your thirties.\n\nI'm learning to cook properly for the first time, and "
        "learning to live alone in a city where nobody knows my name yet.",
        "English, Igbo",
        ("e07a5f", "3d405b"),
        "Maya's initials, MO, on a terracotta and slate gradient",
    ),
    Person(
        "theo",
        "Theo Lindqvist",
        "he/him",
        "Bus driver. Training for my first marathon at 41. Slowly.",
        "I started running three years ago because my doctor said the word 'pre-diabetic' "
        "and it scared me. The first time I ran for a bus I had to sit down afterwards. "
        "Now I'm twelve weeks into a marathon plan and I've learnt more about my own "
        "stubbornness than I ever wanted to know.",
        "English, Swedish",
        ("81b29a", "264653"),
        "Theo's initials, TL, on a sage and deep teal gradient",
    ),
    Person(
        "priya",
        "Priya Raman",
        "she/they",
        "Just started as a mechanic at a community bike co-op. Ask me about brakes.",
        "I spent eight years in insurance, being good at a job that made me feel nothing. "
        "Last month I left, did a bike maintenance course, and got taken on at the co-op "
        "where I used to volunteer on Saturdays. I earn less and sleep better.",
        "English, Tamil",
        ("f2cc8f", "e76f51"),
        "Priya's initials, PR, on a sand and coral gradient",
    ),
    Person(
        "sam",
        "Sam Whitfield",
        "they/them",
        "Living with ME/CFS. Small victories, honest bad days. Followers approved.",
        "I got ill after a virus in 2021 and didn't get better. I used to climb; now some "
        "days the stairs are the climb. I keep this account locked because I write about "
        "my body and my benefits appeal and I want to know who's reading. If you've asked "
        "to follow and I haven't answered, it's energy, not you.",
        "English, BSL",
        ("b8c0ff", "6d597a"),
        "Sam's initials, SW, on a periwinkle and plum gradient",
        locked=True,
    ),
    Person(
        "jonah",
        "Jonah Mensah",
        "he/him",
        "New dad to Ada (born 12 days ago). Secondary school science teacher, on leave.",
        "My partner Efua and I waited a long time for Ada. Now she's here and everything I "
        "thought I knew about sleep was wrong. I'm writing things down so I remember this "
        "blur, and so other new dads know it's fine to not know what you're doing.",
        "English, Twi",
        ("ffd166", "118ab2"),
        "Jonah's initials, JM, on a sunny yellow and blue gradient",
    ),
    Person(
        "rosa",
        "Rosa Delgado",
        "she/her",
        "Tending my dad's roses since he died in the spring. Nurse, night shifts.",
        "Papá came from Valencia with nothing and grew roses in every house we ever rented. "
        "He died in April. I inherited his secateurs, his stubbornness and eleven rose "
        "bushes I don't know how to look after. I'm learning, one bush at a time, and "
        "talking about grief because he never could.",
        "English, Spanish",
        ("d62839", "6a040f"),
        "Rosa's initials, RD, on a rose-red gradient",
    ),
    Person(
        "kenji",
        "Kenji Watanabe",
        "he/him",
        "Learning to cook at 26 after years of instant noodles. Progress is tasty. Mostly.",
        "My mum cooked everything when I was growing up and I never paid attention. Now she "
        "lives in Osaka and I live in a flat with two hobs and a smoke alarm that hates me. "
        "I video-call her while I cook on Sundays. She laughs a lot.",
        "English, Japanese",
        ("90be6d", "f9844a"),
        "Kenji's initials, KW, on a green and orange gradient",
    ),
    Person(
        "amara",
        "Amara Nwosu",
        "she/her",
        "Volunteer coordinator at a food bank. Tea drinker. Believer in people.",
        "I started volunteering at the food bank when I was using it myself, after a "
        "redundancy. Now I coordinate sixty volunteers. Nobody should feel ashamed of "
        "needing help, and nobody should have to choose between heating and eating.",
        "English, Yoruba, French",
        ("f4a261", "2a9d8f"),
        "Amara's initials, AN, on an amber and teal gradient",
    ),
    Person(
        "lena",
        "Lena Fischer",
        "she/her",
        "Allotment plot 14. Too many courgettes. Will swap for anything.",
        "I've had my allotment for nine years. It has seen me through a divorce, a career "
        "change and a pandemic. I believe in compost, shared seed packets, and that most "
        "problems look smaller after an hour of weeding.",
        "German, English",
        ("a7c957", "386641"),
        "Lena's initials, LF, on a spring green gradient",
    ),
    Person(
        "omar",
        "Omar Haddad",
        "he/him",
        "Listener on a night helpline. Dad of two. Terrible puns, good intentions.",
        "I volunteer two nights a month on a listening line. Mostly I say very little. I've "
        "learnt that the most useful thing you can offer someone is your full attention "
        "and no advice unless they ask.",
        "Arabic, English, French",
        ("4cc9f0", "3a0ca3"),
        "Omar's initials, OH, on a sky blue and indigo gradient",
    ),
    Person(
        "ines",
        "Inês Carvalho",
        "she/her",
        "Lisbon → Rotterdam. Learning Dutch, learning the wind, learning to cycle in it.",
        "I moved for my partner's job in January. I left a city where I could name the "
        "baker's children for one where I couldn't read the gas bill. It's getting better. "
        "I'm here for other people who've moved and miss the light of home.",
        "Portuguese, English, Dutch (slowly)",
        ("ffb4a2", "457b9d"),
        "Inês's initials, IC, on a peach and harbour blue gradient",
    ),
    Person(
        "bea",
        "Bea Thompson",
        "she/her",
        "Retired librarian. Knitter of tiny hats. Grandmother of three.",
        "I spent forty years helping people find the right book. Now I help a reading group "
        "at the hospice and knit hats for the neonatal unit. I'm 71 and I joined Hearth "
        "because my granddaughter said it's 'the kind one'.",
        "English",
        ("cdb4db", "5e548e"),
        "Bea's initials, BT, on a lilac gradient",
    ),
    Person(
        "dev",
        "Dev Patel",
        "he/him",
        "Runs the Thursday slow-runners club. Nobody gets left behind.",
        "I was always last at school sports day. I started a running club for people like "
        "me: too slow, too big, too old, too anxious. We finish together.",
        "English, Gujarati",
        ("ef476f", "073b4c"),
        "Dev's initials, DP, on a raspberry and navy gradient",
    ),
    Person(
        "noor",
        "Noor Aziz",
        "she/her",
        "Illustration student. Sketchbook always in my bag. Anxious but trying.",
        "Second year of an illustration degree. I draw to calm down, and because I love "
        "the way watercolour does whatever it wants. I'm working on asking for help before "
        "things get too big.",
        "English, Urdu",
        ("a8dadc", "1d3557"),
        "Noor's initials, NA, on a pale aqua and navy gradient",
    ),
)

# Who follows whom. Maya follows nearly everyone, so her home feed is full.
FOLLOWING: dict[str, tuple[str, ...]] = {
    "maya": (
        "theo",
        "priya",
        "sam",
        "jonah",
        "rosa",
        "kenji",
        "amara",
        "lena",
        "omar",
        "ines",
        "bea",
        "dev",
        "noor",
    ),
    "theo": ("maya", "dev", "jonah", "kenji", "omar"),
    "priya": ("maya", "sam", "amara", "theo", "noor", "lena"),
    "sam": ("maya", "rosa", "priya", "noor", "bea"),
    "jonah": ("maya", "theo", "bea", "omar", "kenji"),
    "rosa": ("maya", "sam", "lena", "bea", "amara", "ines"),
    "kenji": ("maya", "bea", "jonah", "ines", "lena"),
    "amara": ("maya", "priya", "omar", "bea", "rosa"),
    "lena": ("maya", "rosa", "kenji", "bea", "amara"),
    "omar": ("amara", "jonah", "theo", "dev", "noor"),
    "ines": ("maya", "kenji", "rosa", "noor"),
    "bea": ("maya", "rosa", "jonah", "kenji", "lena", "amara", "sam"),
    "dev": ("theo", "omar", "priya", "sam", "maya"),
    "noor": ("maya", "sam", "ines", "omar", "priya"),
}

# Sam's account is locked: these requests are approved; others stay pending.
SAM_APPROVES = ("maya", "rosa", "priya", "noor", "bea")

CIRCLES: dict[str, tuple[str, ...]] = {
    "maya": ("priya", "rosa"),
    "rosa": ("maya", "lena", "bea"),
    "sam": ("priya", "maya"),
}


def people_create(password: str) -> dict[str, User]:
    """Create every demo person with a full profile and a drawn avatar."""
    users: dict[str, User] = {}
    for seed, person in enumerate(PEOPLE, start=1):
        user = user_create(
            username=person.username,
            email=f"{person.username}@demo.hearth.invalid",
            password=password,
            display_name=person.display_name,
        )
        users[person.username] = profile_update(
            user=user,
            fields={
                "pronouns": person.pronouns,
                "bio": person.bio,
                "story": person.story,
                "languages": person.languages,
                "avatar_alt": person.avatar_alt,
                "locked": person.locked,
            },
            avatar=images.avatar(person.display_name, person.colours, seed),
        )
    return users


def relationships_create(users: dict[str, User]) -> None:
    """Follows, Sam's approvals (one request left pending) and close circles."""
    for follower, followees in FOLLOWING.items():
        for followee in followees:
            follow_create(follower=users[follower], followee=users[followee])
    for follower in SAM_APPROVES:
        follow_request_accept(followee=users["sam"], follower_id=users[follower].pk)
    for owner, members in CIRCLES.items():
        for member in members:
            circle_add(owner=users[owner], member=users[member])
