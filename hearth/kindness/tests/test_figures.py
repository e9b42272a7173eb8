"""Instance figures: weekly, anonymous counts of reconsider prompts, for staff only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory
from hearth.kindness.models import Prompt, PromptFeedback
from hearth.kindness.selectors import prompt_figures

pytestmark = pytest.mark.django_db

FEEDBACK_TEXT = "my friend and I always talk like this, zebra-42"


def this_monday() -> datetime:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def prompt(author, outcome, at: datetime) -> Prompt:
    p = Prompt.objects.create(author=author, score=0.9, reasons=["insult"], outcome=outcome)
    # created_at is auto_now_add: set it afterwards.
    Prompt.objects.filter(pk=p.pk).update(created_at=at)
    return p


@pytest.fixture
def prompts():
    author = UserFactory(username="prompted_person")
    monday = this_monday()
    now = timezone.now()
    # This week (so far): 4 prompts, one of each outcome, one reported wrong.
    this_week = min(monday + timedelta(minutes=5), now)
    edited = prompt(author, Prompt.Outcome.EDITED, this_week)
    prompt(author, Prompt.Outcome.CANCELLED, this_week)
    prompt(author, Prompt.Outcome.SENT_ANYWAY, this_week)
    prompt(author, Prompt.Outcome.PENDING, this_week)
    PromptFeedback.objects.create(prompt=edited, text=FEEDBACK_TEXT, note="banter")
    # Last week, on its Sunday evening: 3 edited, 1 sent anyway.
    last_week = monday - timedelta(hours=2)
    for outcome in ["edited", "edited", "edited", "sent_anyway"]:
        prompt(author, outcome, last_week)
    # Thirteen weeks ago: outside the window.
    prompt(author, Prompt.Outcome.CANCELLED, monday - timedelta(weeks=12, hours=1))
    return author


def test_selector_counts_per_week(prompts):
    figures = prompt_figures()
    assert len(figures.weeks) == 12
    this, last = figures.weeks[0], figures.weeks[1]
    assert this.start == timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert last.start == this.start - timedelta(weeks=1)
    assert (this.shown, this.edited, this.cancelled, this.sent_anyway, this.pending) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert this.reported_wrong == 1
    assert (this.edited_share, this.cancelled_share, this.sent_anyway_share) == (25, 25, 25)
    assert this.pending_share == 25
    assert (last.shown, last.edited, last.sent_anyway, last.reported_wrong) == (4, 3, 1, 0)
    assert (last.edited_share, last.sent_anyway_share, last.reconsidered_share) == (75, 25, 75)
    # Quiet weeks are there, with zeros and no share.
    assert all(w.shown == 0 and w.edited_share is None for w in figures.weeks[2:])
    assert [w.start for w in figures.weeks] == sorted(
        (w.start for w in figures.weeks), reverse=True
    )
    total = figures.total
    assert (total.shown, total.edited, total.cancelled, total.sent_anyway, total.pending) == (
        8,
        4,
        1,
        2,
        1,
    )
    assert total.reported_wrong == 1


def test_staff_see_the_table_without_names_or_texts(client_for, prompts):
    staff = UserFactory(is_staff=True, username="the_admin")
    r = client_for(staff).get("/kindness/figures")
    assert r.status_code == 200
    page = r.text
    assert "<caption" in page
    assert '<th scope="col">Prompts shown</th>' in page
    assert page.count('<th scope="row">') == 13  # 12 weeks and the total
    assert "this week, so far" in page
    this = r.context["figures"].weeks[0]
    assert f'<time datetime="{this.iso_week}">' in page
    assert "25%" in page and "75%" in page
    # Anonymous: neither who was prompted nor what anyone wrote.
    for secret in ["prompted_person", prompts.display_name, "zebra-42", "banter", "insult"]:
        assert secret not in page
    # The header names the signed-in admin; nothing else on the page does.
    assert page.count("the_admin") == 1


def test_staff_see_an_empty_instance(client_for):
    r = client_for(UserFactory(is_staff=True)).get("/kindness/figures")
    assert r.status_code == 200
    assert "No prompts were shown in these weeks." in r.text


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_everyone_else_gets_not_found(client_for, prompts, who):
    user = None if who == "anonymous" else UserFactory()
    assert client_for(user).get("/kindness/figures").status_code == 404
