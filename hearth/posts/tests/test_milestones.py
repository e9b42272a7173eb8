"""Milestones: shared as a celebration; close people may be reminded once a year."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from hearth.accounts.services import circle_add, follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.core.testing import page_text
from hearth.feeds.models import Notification
from hearth.posts.milestones import (
    milestone_anniversaries_send,
    milestone_create,
    milestone_reminder_allowed,
    milestone_reminder_set,
)
from hearth.posts.models import Audience, Milestone, MilestoneKind, Post
from hearth.posts.services import PostError, post_delete

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int) -> datetime:
    return timezone.make_aware(datetime(y, m, d, 12))


def test_create_is_one_post_with_a_milestone() -> None:
    author = UserFactory()
    m = milestone_create(
        author=author, kind=MilestoneKind.GRADUATION, when=date(2024, 6, 1), now=at(2024, 6, 2)
    )
    assert m.post.text == "Graduation" and m.post.tone == "celebrating"
    with pytest.raises(PostError):
        milestone_create(author=author, kind="custom", when=date(2024, 6, 1), now=at(2024, 6, 2))
    with pytest.raises(PostError):
        milestone_create(author=author, kind="new_job", when=date(2024, 6, 3), now=at(2024, 6, 2))
    with pytest.raises(PostError):
        milestone_create(author=author, kind="nope", when=date(2024, 6, 1))
    assert Post.objects.count() == Milestone.objects.count() == 1


def test_page_and_card(client: Client) -> None:
    author = UserFactory()
    client.force_login(author)
    response = client.post(
        "/milestones/new",
        {"kind": "custom", "label": "First marathon", "date": "2020-05-04", "audience": "public"},
        follow=True,
    )
    html = page_text(response)
    assert "First marathon" in html and "4 May 2020" in html
    assert "Share a milestone" in page_text(client.get("/posts/new"))


@pytest.mark.parametrize(
    ("tie", "allowed"),
    [("circle", True), ("mutual", True), ("follower_only", False), ("none", False)],
)
def test_who_may_ask_for_a_reminder(tie: str, allowed: bool) -> None:
    author, reader = UserFactory(), UserFactory()
    if tie == "circle":
        circle_add(owner=author, member=reader)
    elif tie == "mutual":
        follow_create(follower=author, followee=reader)
        follow_create(follower=reader, followee=author)
    elif tie == "follower_only":
        follow_create(follower=reader, followee=author)
    m = milestone_create(author=author, kind="moved", when=date(2020, 3, 1))
    assert milestone_reminder_allowed(viewer=reader, milestone=m) is allowed
    assert milestone_reminder_allowed(viewer=author, milestone=m) is False


def test_reminder_needs_to_see_the_post() -> None:
    author, reader = UserFactory(), UserFactory()
    follow_create(follower=author, followee=reader)
    follow_create(follower=reader, followee=author)
    m = milestone_create(
        author=author, kind="moved", when=date(2020, 3, 1), audience=Audience.CIRCLE
    )
    with pytest.raises(PostError):
        milestone_reminder_set(user=reader, milestone=m, on=True)


def test_anniversary_reminder_once_per_year() -> None:
    author, reader = UserFactory(), UserFactory()
    circle_add(owner=author, member=reader)
    with committed():
        m = milestone_create(author=author, kind="recovery", when=date(2021, 4, 10))
        milestone_reminder_set(user=reader, milestone=m, on=True)

    def send(now: datetime) -> int:
        with committed():
            return milestone_anniversaries_send(now=now)

    assert send(at(2024, 4, 9)) == 0
    assert send(at(2024, 4, 10)) == 1
    assert send(at(2024, 4, 10)) == 0  # twice the same day: once
    notes = Notification.objects.filter(recipient=reader, kind="milestone_reminder")
    assert [n.note for n in notes] == ["3"]
    assert send(at(2025, 4, 10)) == 1
    assert notes.all().count() == 2
    with committed():
        post_delete(post=m.post, actor=author)
    assert send(at(2026, 4, 10)) == 0


def test_leap_day_is_remembered_on_the_28th() -> None:
    author, reader = UserFactory(), UserFactory()
    circle_add(owner=author, member=reader)
    m = milestone_create(author=author, kind="new_family", when=date(2020, 2, 29))
    milestone_reminder_set(user=reader, milestone=m, on=True)
    assert milestone_anniversaries_send(now=at(2021, 2, 28)) == 1
    assert milestone_anniversaries_send(now=at(2024, 2, 28)) == 0
    assert milestone_anniversaries_send(now=at(2024, 2, 29)) == 1


def test_remind_page(client: Client) -> None:
    author, reader = UserFactory(), UserFactory()
    circle_add(owner=author, member=reader)
    m = milestone_create(author=author, kind="moved", when=date(2020, 3, 1))
    client.force_login(reader)
    url = f"/@{author.username}/{m.post_id}/remind"
    assert "Remind me on its anniversary" in page_text(client.get(url))
    client.post(url, {"on": "1"})
    assert m.reminders.filter(user=reader).exists()
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.post(url, {"on": "1"}).status_code == 302
    assert m.reminders.count() == 1
