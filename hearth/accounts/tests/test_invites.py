"""Invite links: a valid one makes the two follow each other; any other still lets people join."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hearth.accounts.models import Follow, Invite, User
from hearth.accounts.services import invite_create
from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import page_text

pytestmark = pytest.mark.django_db


def sign_up(client: Client, token: str, username: str = "newbie") -> str:
    response = client.post(
        f"/signup?invite={token}",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password": "a-long-test-password-42",
            "invite": token,
        },
        follow=True,
    )
    assert response.status_code == 200
    return page_text(response)


def follows(a: User, b: User) -> bool:
    return Follow.objects.filter(follower=a, followee=b, state=Follow.State.ACCEPTED).exists()


@pytest.mark.parametrize(
    ("case", "message", "mutual"),
    [
        ("valid", "now follow each other", True),
        ("expired", "That invite link has expired.", False),
        ("used_up", "already been used as many times", False),
        ("unknown", "That invite link isn't valid.", False),
    ],
)
def test_invite_signup(client: Client, case: str, message: str, mutual: bool) -> None:
    inviter = UserFactory(locked=True)  # a locked inviter still follows back at once
    invite = invite_create(inviter=inviter, max_uses=1)
    token = invite.token
    if case == "expired":
        Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(days=1))
    elif case == "used_up":
        Invite.objects.filter(pk=invite.pk).update(uses=1)
    elif case == "unknown":
        token = "no-such-token"
    landing = page_text(client.get(f"/signup?invite={token}"))
    if mutual:
        assert "invited you" in landing
    else:
        assert message in landing
    html = sign_up(client, token)
    assert message in html
    newbie = User.objects.get(username="newbie")
    assert follows(newbie, inviter) is mutual
    assert follows(inviter, newbie) is mutual
    invite.refresh_from_db()
    assert invite.uses == (1 if case in ("valid", "used_up") else 0)


def test_invite_page_makes_a_link(client: Client) -> None:
    me = UserFactory()
    client.force_login(me)
    response = client.post("/invite", follow=True)
    invite = Invite.objects.get(inviter=me)
    assert f"/signup?invite={invite.token}" in page_text(response)


def test_invite_is_spent_once_per_use(client: Client) -> None:
    invite = invite_create(inviter=UserFactory(), max_uses=1)
    sign_up(client, invite.token, "first")
    client.logout()
    html = sign_up(Client(), invite.token, "second")
    assert "already been used" in html
    assert User.objects.filter(username="second").exists()
