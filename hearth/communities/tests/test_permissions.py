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
        r = client.post(
            reverse("community_post_moderate", args=[slug, thread.pk]), {"action": "pin"}
        )
        return Pin.objects.filter(post=thread).exists(), r
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
