"""Joining, logging in and out, and resetting a forgotten password, through the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from hearth.accounts.models import User
from hearth.accounts.tests.factories import PASSWORD, UserFactory
from hearth.core.testing import field_html
from hearth.core.testing import page_text as text

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "quiet-morning-tea-77"


def signup(client, **data: str):
    form = {"username": "river_song", "email": "river@example.org", "password": GOOD_PASSWORD}
    form.update(data)
    return client.post("/signup", form)


# --- sign up -------------------------------------------------------------------


def test_signup_creates_an_account_and_logs_in(client):
    assert client.get("/signup").status_code == 200
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/settings/profile"

    welcome = text(client.get("/settings/profile"))
    assert "Welcome to Hearth" in welcome
    user = User.objects.get(username="river_song")
    assert user.email == "river@example.org"
    assert GOOD_PASSWORD not in user.password
    assert user.check_password(GOOD_PASSWORD)
    assert client.get("/home").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short."),
        ("password123", "This password is too common."),
        ("84736251940", "This password is entirely numeric."),
        ("river_song_1", "The password is too similar to the username."),
    ],
)
def test_signup_password_validators_speak_next_to_the_field(client, password, message):
    response = signup(client, password=password)
    assert response.status_code == 400
    html = text(response)
    assert message in field_html(html, "password")
    assert message not in field_html(html, "username")
    assert not User.objects.filter(username="river_song").exists()


def test_signup_username_rules_speak_next_to_the_field(client):
    html = text(signup(client, username="not valid!"))
    assert "Use 1 to 30 letters, digits or underscores." in field_html(html, "username")


def test_signup_duplicate_username_in_another_case(client):
    UserFactory(username="Juniper")
    response = signup(client, username="jUNIPER")
    assert response.status_code == 400
    assert "Someone already has that username." in field_html(text(response), "username")
    assert User.objects.filter(username__iexact="juniper").count() == 1


@pytest.mark.parametrize("username", ["admin", "Settings", "NOTIFICATIONS", "home", "tags"])
def test_signup_reserved_username(client, username):
    response = signup(client, username=username)
    assert response.status_code == 400
    assert "That username is reserved." in field_html(text(response), "username")
    assert not User.objects.filter(username__iexact=username).exists()


def test_signup_duplicate_email_in_another_case(client):
    UserFactory(email="willow@example.org")
    response = signup(client, email="Willow@Example.ORG")
    assert response.status_code == 400
    assert "already exists" in field_html(text(response), "email")


def test_signup_invalid_email(client):
    response = signup(client, email="not-an-address")
    assert "Enter a valid email address." in field_html(text(response), "email")


def test_failed_signup_keeps_what_was_typed_except_the_password(client):
    response = signup(client, username="fern_and_moss", email="fern@example.org", password="123")
    assert response.status_code == 400
    html = text(response)
    assert 'value="fern_and_moss"' in field_html(html, "username")
    assert 'value="fern@example.org"' in field_html(html, "email")
    assert 'value="123"' not in html


def test_signed_in_person_visiting_signup_goes_home(client_for):
    response = client_for(UserFactory()).get("/signup")
    assert response.status_code == 302
    assert response["Location"] == "/home"


# --- log in and out -----------------------------------------------------------


def test_login_with_username(client):
    user = UserFactory(username="Rowan")
    assert client.get("/login").status_code == 200
    response = client.post("/login", {"username": "rowan", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/home"
    assert f"/@{user.username}" in text(client.get("/home"))


def test_login_with_email_in_any_case(client):
    UserFactory(email="hazel@example.org")
    response = client.post("/login", {"username": "Hazel@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200


def test_login_with_wrong_password_says_so_and_keeps_the_name(client):
    UserFactory(username="aspen")
    response = client.post("/login", {"username": "aspen", "password": "not-the-password"})
    assert response.status_code == 200
    html = text(response)
    assert "That username or email and password don't match." in html
    assert 'value="aspen"' in html
    assert client.get("/home").status_code == 302


def test_login_for_unknown_person_says_the_same(client):
    response = client.post("/login", {"username": "nobody_at_all", "password": PASSWORD})
    assert "That username or email and password don't match." in text(response)


def test_login_goes_back_to_a_local_next_only(client):
    UserFactory(username="birch")
    response = client.post(
        "/login", {"username": "birch", "password": PASSWORD, "next": "/notifications"}
    )
    assert response["Location"] == "/notifications"
    client.post("/logout")
    response = client.post(
        "/login", {"username": "birch", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert "evil.example" not in response["Location"]


def test_logout_is_a_post(client_for):
    c = client_for(UserFactory())
    # A link or an image can't log someone out.
    assert c.get("/logout").status_code == 405
    assert c.get("/home").status_code == 200
    assert 'action="/logout"' in text(c.get("/home"))

    response = c.post("/logout")
    assert response.status_code == 302
    after = c.get("/home")
    assert after.status_code == 302
    assert after["Location"].startswith("/login")


def test_pages_that_need_a_login_send_you_there(client):
    for url in ["/home", "/notifications", "/settings/profile", "/posts/new", "/follow-requests"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login?next="), url


# --- password reset -------------------------------------------------------------


def test_password_reset_by_email(client):
    user = UserFactory(username="linden", email="linden@example.org")
    assert client.get("/password/reset").status_code == 200
    response = client.post("/password/reset", {"email": "Linden@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["linden@example.org"]
    body = str(message.body)
    assert "@linden" in body
    link = re.search(r"https?://[^/\s]+(/password/reset/[^\s]+)", body)
    assert link is not None

    # The link leads to a form for the new password.
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in text(form_page)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    new_password = "a-fresh-start-2024"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert done["Location"] == "/password/reset/complete"

    user.refresh_from_db()
    assert user.check_password(new_password)
    assert (
        client.post("/login", {"username": "linden", "password": new_password}).status_code == 302
    )

    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link has already been used or has expired." in text(again)


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post("/password/reset", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent"
    assert mail.outbox == []
