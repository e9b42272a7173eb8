"""Who may do what in a community, as one table, checked through the real pages.

Rows: roles (logged out, non-member, pending, member, mentor, moderator,
owner, banned, muted) by actions (read, post, reply, react, report,
moderate, see the log, see the member list) by public and private. Each cell
makes the request a person would and checks what they would notice: the
page or a 403/404, and whether anything changed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory
from hearth.communities import services
from hearth.communities.models import Community, LogEntry, Membership, Pin, Report
from hearth.posts.models import Post, Reaction
from hearth.posts.services import post_create

pytestmark = pytest.mark.django_db

ROLES = [
    "logged_out",
    "non_member",
    "pending",
    "member",
    "mentor",
    "moderator",
    "owner",
    "banned",
    "muted",
]
MEMBERS = {"member", "mentor", "moderator", "owner"}
ACTIONS = ["read", "post", "reply", "react", "report", "moderate", "log", "members"]

# What each role may do; the private column differs only where reading is concerned.
ALLOWED: dict[str, dict[str, set[str]]] = {
    "public": {
        "read": set(ROLES),
        "post": MEMBERS,
        "reply": MEMBERS,
        "react": MEMBERS | {"muted"},
        "report": MEMBERS | {"muted"},
        "moderate": {"moderator", "owner"},
        "log": set(ROLES),
        "members": MEMBERS | {"muted"},
    },
    "private": {
        "read": MEMBERS | {"muted"},
        "post": MEMBERS,
        "reply": MEMBERS,
        "react": MEMBERS | {"muted"},
        "report": MEMBERS | {"muted"},
        "moderate": {"moderator", "owner"},
        "log": MEMBERS | {"muted"},
        "members": MEMBERS | {"muted"},
    },
}


def _world(visibility: str):
    owner = UserFactory(username="owner")
    place = services.community_create(
        creator=owner,
        name="Night Owls",
        slug="night-owls",
        description="People who are awake when everyone else sleeps.",
        who_for="Shift workers and insomniacs.",
        visibility=visibility,
        join_policy=Community.JoinPolicy.APPROVAL,
        rules=["Be kind", "No medical advice"],
    )
    people = {"owner": owner}
    for role in ("member", "mentor", "moderator", "banned", "muted", "pending", "non_member"):
        people[role] = UserFactory(username=role.replace("_", ""))
    now = timezone.now()
    for role in ("member", "mentor", "moderator", "banned", "muted"):
        Membership.objects.create(
            community=place,
            user=people[role],
            role=role if role in ("mentor", "moderator") else "member",
            rules_accepted_at=now,
            joined_at=now,
            banned_until=now + timedelta(days=3) if role == "banned" else None,
            muted_until=now + timedelta(days=3) if role == "muted" else None,
        )
    Membership.objects.create(community=place, user=people["pending"], state="pending")
    Membership.objects.create(
        community=place, user=UserFactory(username="nonmember2"), joined_at=now
    )
    thread = post_create(author=people["member"], text="Who else is up?", community_id=place.pk)
    return place, people, thread


def _do(action, client, place, thread):
    """Make the request for `action`; return (allowed?, response)."""
    slug = place.slug
    if action == "read":
        r = client.get(thread.get_absolute_url())
        return r.status_code == 200, r
    if action == "post":
        before = Post.objects.filter(community=place).count()
        r = client.post(reverse("compose"), {"text": "Hello from the night", "community": place.pk})
        return Post.objects.filter(community=place).count() > before, r
    if action == "reply":
        before = Post.objects.filter(in_reply_to=thread).count()
        r = client.post(reverse("compose"), {"text": "Me too", "in_reply_to": thread.pk})
        return Post.objects.filter(in_reply_to=thread).count() > before, r
    if action == "react":
        r = client.post(
            reverse("post_react", args=[thread.author.username, thread.pk]), {"kind": "with_you"}
        )
        return Reaction.objects.filter(post=thread).exists(), r
    if action == "report":
        r = client.post(
            reverse("community_report", args=[slug, thread.pk]), {"reason": "Breaks rule 2"}
        )
        return Report.objects.filter(post=thread).exists(), r
    if action == "moderate":
        # Pin, lock, approve a request, ban, then remove: all or nothing.
        url = reverse("community_post_moderate", args=[slug, thread.pk])
        r = client.post(url, {"action": "pin"})
        done = [Pin.objects.filter(post=thread).exists()]
        client.post(url, {"action": "lock"})
        done.append(Post.objects.filter(pk=thread.pk, locked_at__isnull=False).exists())
        pending = Membership.objects.get(community=place, user__username="pending")
        client.post(
            reverse("community_request_decide", args=[slug, pending.user_id]),
            {"decision": "approve"},
        )
        done.append(Membership.objects.filter(pk=pending.pk, state="active").exists())
        target = Membership.objects.get(community=place, user__username="nonmember2")
        client.post(
            reverse("community_restrict", args=[slug, target.user_id]),
            {"action": "ban", "days": "7", "reason": "Spam links"},
        )
        done.append(Membership.objects.get(pk=target.pk).is_banned)
        client.post(url, {"action": "remove", "reason": "Off topic"})
        done.append(Post.objects.filter(pk=thread.pk, removed_at__isnull=False).exists())
        assert all(done) or not any(done), f"moderation partly allowed: {done}"
        return all(done), r
    if action == "log":
        r = client.get(reverse("community_log", args=[slug]))
        return r.status_code == 200, r
    if action == "members":
        r = client.get(reverse("community_members", args=[slug]))
        return r.status_code == 200 and "owner" in r.content.decode(), r
    raise AssertionError(action)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permissions_table(client_for, visibility, action, role):
    place, people, thread = _world(visibility)
    client = client_for(None if role == "logged_out" else people[role])
    allowed, response = _do(action, client, place, thread)
    expected = role in ALLOWED[visibility][action]
    assert allowed == expected, (
        f"{role} {'should' if expected else 'should not'} be able to {action} "
        f"in a {visibility} community (status {response.status_code})"
    )
    if not expected and response.status_code >= 400:
        # Refusals are a 403 (you may see it, not do it), 404 (you may not know it)
        # or a form coming back with the reason (400); never a crash.
        assert response.status_code in (400, 403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_private_community_page_shows_only_its_public_description(client_for, role):
    place, people, _ = _world("private")
    client = client_for(None if role == "logged_out" else people[role])
    page = client.get(reverse("community", args=[place.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Shift workers and insomniacs." in text
    assert ("Who else is up?" in text) == (role in MEMBERS | {"muted"})


def test_refused_moderation_changes_nothing_and_logs_nothing(client_for):
    place, people, thread = _world("public")
    for role in ("member", "mentor", "muted", "non_member"):
        client = client_for(people[role])
        client.post(
            reverse("community_post_moderate", args=[place.slug, thread.pk]),
            {"action": "remove", "reason": "spam"},
        )
        client.post(
            reverse("community_restrict", args=[place.slug, people["member"].pk]),
            {"action": "ban", "days": "", "reason": "x"},
        )
    thread.refresh_from_db()
    assert thread.removed_at is None
    assert not Membership.objects.get(user=people["member"]).is_banned
    assert not LogEntry.objects.exists()


# --- wrong-role refusals through the moderation pages ------------------------------

REFUSED_ROLES = ["logged_out", "non_member", "pending", "member", "mentor", "muted", "banned"]
MOD_ACTIONS = ["remove", "lock", "pin", "approve", "decline", "mute", "ban", "role", "handover"]


def _state(place, thread):
    """Everything a moderation action could change, to compare before and after."""
    thread = Post.objects.get(pk=thread.pk)
    return (
        thread.removed_at,
        thread.locked_at,
        list(Pin.objects.values_list("post_id", flat=True)),
        sorted(
            Membership.objects.filter(community=place).values_list(
                "user_id", "role", "state", "muted_until", "banned_until"
            )
        ),
        LogEntry.objects.count(),
    )


def _mod_request(action, client, place, thread, target):
    slug = place.slug
    moderate = reverse("community_post_moderate", args=[slug, thread.pk])
    if action in ("remove", "lock", "pin"):
        return client.post(moderate, {"action": action, "reason": "Off topic"})
    if action in ("approve", "decline"):
        return client.post(
            reverse("community_request_decide", args=[slug, target.pk]), {"decision": action}
        )
    if action in ("mute", "ban"):
        return client.post(
            reverse("community_restrict", args=[slug, target.pk]),
            {"action": action, "days": "7", "reason": "Spam links"},
        )
    if action == "role":
        return client.post(reverse("community_role", args=[slug, target.pk]), {"role": "moderator"})
    if action == "handover":
        return client.post(reverse("community_handover", args=[slug, target.pk]), {"confirm": "1"})
    raise AssertionError(action)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("action", MOD_ACTIONS)
@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_wrong_role_moderation_is_refused_and_changes_nothing(client_for, visibility, action, role):
    place, people, thread = _world(visibility)
    target = people["pending"] if action in ("approve", "decline") else people["member"]
    before = _state(place, thread)
    client = client_for(None if role == "logged_out" else people[role])
    response = _mod_request(action, client, place, thread, target)
    if role == "logged_out":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        # 404 where the community's content is hidden from them, else 403.
        assert response.status_code in (403, 404), response.status_code
    assert _state(place, thread) == before


@pytest.mark.parametrize(
    ("action", "on"),
    [
        ("mute", "moderator2"),
        ("ban", "moderator2"),
        ("role", "moderator2"),
        ("mute", "owner"),
        ("ban", "owner"),
        ("role", "owner"),
        ("handover", "moderator2"),
    ],
)
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_a_moderator_cannot_act_on_another_moderator_or_the_owner(
    client_for, visibility, action, on
):
    place, people, thread = _world(visibility)
    people["moderator2"] = UserFactory(username="moderator2")
    Membership.objects.create(
        community=place,
        user=people["moderator2"],
        role="moderator",
        rules_accepted_at=timezone.now(),
        joined_at=timezone.now(),
    )
    before = _state(place, thread)
    response = _mod_request(action, client_for(people["moderator"]), place, thread, people[on])
    assert response.status_code == 403
    assert _state(place, thread) == before
