"""People you may know, people gone quiet, and people search: who shows, who never does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.services import block_create, follow_create, mute_create
from hearth.accounts.tests.factories import UserFactory
from hearth.communities.services import community_create, membership_join
from hearth.discovery.people import people_quiet, people_suggested, search
from hearth.messaging.models import Message
from hearth.messaging.services import conversation_start, message_send
from hearth.posts.services import post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, User]:
    names = ["me", "friend", "fof", "fan", "neighbour", "outsider", "stranger", "member2"]
    people = {n: UserFactory(username=n, display_name=n.title()) for n in names}
    follow_create(follower=people["me"], followee=people["friend"])
    follow_create(follower=people["friend"], followee=people["fof"])
    follow_create(follower=people["fan"], followee=people["me"])
    owner = UserFactory(username="owner")
    garden = community_create(
        creator=owner,
        name="Plot & Patch",
        slug="plot",
        description="Gardens",
        who_for="Gardeners",
        topics="",
        visibility="public",
        rules=["Be kind"],
    )
    secret = community_create(
        creator=owner,
        name="Quiet Room",
        slug="quiet",
        description="Private",
        who_for="Choir",
        topics="",
        visibility="private",
        rules=["Be kind"],
    )
    membership_join(community=garden, user=people["me"], accept_rules=True)
    membership_join(community=garden, user=people["neighbour"], accept_rules=True)
    membership_join(community=secret, user=people["me"], accept_rules=True)
    membership_join(community=secret, user=people["member2"], accept_rules=True)
    people["owner"] = owner
    return people


def reasons_for(viewer: User) -> dict[str, list[str]]:
    return {s.person.username: s.reasons for s in people_suggested(viewer=viewer)}


def test_each_source_gives_a_reason_in_words(world: dict[str, User]) -> None:
    found = reasons_for(world["me"])
    assert found["fof"] == ["1 friend in common"]
    assert found["fan"] == ["follows you"]
    assert found["neighbour"] == ["you're both in Plot & Patch"]
    # Both are members of the private community: naming it to them is fine.
    assert found["member2"] == ["you're both in Quiet Room"]
    assert "friend" not in found and "me" not in found and "stranger" not in found


@pytest.mark.parametrize(
    ("action", "target"),
    [
        ("block_me", "fof"),
        ("block_them", "fan"),
        ("mute", "neighbour"),
        ("deactivate", "fof"),
        ("follow", "neighbour"),
    ],
)
def test_never_suggested(world: dict[str, User], action: str, target: str) -> None:
    me, them = world["me"], world[target]
    if action == "block_me":
        block_create(blocker=them, blocked=me)
    elif action == "block_them":
        block_create(blocker=me, blocked=them)
    elif action == "mute":
        mute_create(muter=me, muted=them)
    elif action == "deactivate":
        User.objects.filter(pk=them.pk).update(is_active=False)
    else:
        follow_create(follower=me, followee=them)
    assert target not in reasons_for(me)


def test_private_membership_is_never_revealed_to_outsiders(world: dict[str, User]) -> None:
    # The outsider shares nothing with member2 but follows the owner, who is in
    # the private community: no reason may name it.
    follow_create(follower=world["outsider"], followee=world["owner"])
    for reasons in reasons_for(world["outsider"]).values():
        assert not any("Quiet Room" in r for r in reasons)
    # Nor to someone with no ties at all.
    assert all("Quiet Room" not in r for rs in reasons_for(world["stranger"]).values() for r in rs)


@pytest.mark.parametrize(
    ("q", "viewer", "expected"),
    [
        ("fof", "me", ["fof"]),
        ("FO", "me", ["fof"]),  # case-insensitive, matches display names too
        ("@neighbour", "me", ["neighbour"]),
        ("nobody-like-this", "me", []),
        ("", "me", []),
    ],
)
def test_search_by_name_and_username(
    world: dict[str, User], q: str, viewer: str, expected: list[str]
) -> None:
    page = search(viewer=world[viewer], q=q)
    assert [p.username for p in page.people] == expected


@pytest.mark.parametrize("how", ["they_block", "i_block", "deactivated"])
def test_search_hides_blocked_and_deactivated(world: dict[str, User], how: str) -> None:
    me, them = world["me"], world["fan"]
    if how == "they_block":
        block_create(blocker=them, blocked=me)
    elif how == "i_block":
        block_create(blocker=me, blocked=them)
    else:
        User.objects.filter(pk=them.pk).update(is_active=False)
    assert search(viewer=me, q="fan").people == []


def test_search_pages_and_exact_username_first(world: dict[str, User]) -> None:
    for i in range(25):
        UserFactory(username=f"sam{i:02d}", display_name="Someone")
    UserFactory(username="sam", display_name="Zed")
    first = search(viewer=None, q="sam")
    assert first.people[0].username == "sam" and len(first.people) == 20
    assert first.next_page == 2
    second = search(viewer=None, q="sam", page=2)
    assert len(second.people) == 6 and second.next_page is None


def test_hashtags_from_public_places_only(world: dict[str, User]) -> None:
    post_create(author=world["me"], text="Look #tomatoes")
    secret_id = world["member2"].memberships.get(community__slug="quiet").community_id
    post_create(author=world["member2"], text="#hiddentag here", community_id=secret_id)
    assert search(viewer=world["me"], q="#tom").tags == ["tomatoes"]
    assert search(viewer=world["me"], q="hiddentag").tags == []


def test_quiet_after_an_exchange_both_ways(world: dict[str, User]) -> None:
    me, friend, fan = world["me"], world["friend"], world["fan"]
    conversation, _ = conversation_start(initiator=me, recipients=[friend], text="Hi!")
    message_send(conversation=conversation, sender=friend, text="Hello you")
    # One way only: the fan never heard back.
    follow_create(follower=me, followee=fan)
    conversation_start(initiator=fan, recipients=[me], text="Big fan")
    assert people_quiet(viewer=me) == []  # recent: not quiet yet
    later = timezone.now() + timedelta(days=61)
    assert [q.person.username for q in people_quiet(viewer=me, now=later)] == ["friend"]
    assert [q.person.username for q in people_quiet(viewer=friend, now=later)] == ["me"]
    mute_create(muter=me, muted=friend)
    assert people_quiet(viewer=me, now=later) == []


def test_quiet_through_replies(world: dict[str, User]) -> None:
    me, fan = world["me"], world["fan"]
    root = post_create(author=me, text="Anyone growing beans?")
    reply = post_create(author=fan, text="@me yes, runner beans", in_reply_to=root)
    post_create(author=me, text="@fan how tall?", in_reply_to=reply)
    later = timezone.now() + timedelta(days=90)
    assert [q.person.username for q in people_quiet(viewer=me, now=later)] == ["fan"]
    assert Message.objects.count() == 0


def test_pages_render_with_follow_buttons_and_search_box(world: dict[str, User], client) -> None:
    from hearth.core.testing import page_text

    client.force_login(world["me"])
    html = page_text(client.get("/people"))
    assert "People you may know" in html and "follows you" in html
    assert 'action="/@fan/follow"' in html
    html = page_text(client.get("/search?q=fo"))
    assert "@fof" in html and 'href="/search"' in html
    assert client.get("/search?q=x&page=abc").status_code == 200
