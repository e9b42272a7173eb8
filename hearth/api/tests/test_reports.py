"""Contract tests for reports: POST /api/v1/reports makes an instance report for staff."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.conftest import committed
from hearth.moderation.models import InstanceReport
from hearth.posts.models import Audience
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

REPORT_FIELDS = {
    "id", "action_taken", "action_taken_at", "category", "comment", "forwarded",
    "created_at", "status_ids", "rule_ids", "target_account",
}  # fmt: skip


def test_report_an_account_and_posts(api_for: Any) -> None:
    reporter, troll = UserFactory(), UserFactory(username="troll")
    posts = [publish(troll, "Buy my pills"), publish(troll, "Buy them now")]
    answer = api_for(reporter).post_json(
        "/api/v1/reports",
        {
            "account_id": str(troll.pk),
            "status_ids": [str(p.pk) for p in posts],
            "comment": "Spam in every reply",
            "category": "spam",
            "forward": True,
        },
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == REPORT_FIELDS
    assert body["category"] == "spam"
    assert body["comment"] == "Spam in every reply"
    assert body["action_taken"] is False
    assert body["forwarded"] is False
    assert body["status_ids"] == [str(p.pk) for p in posts]
    assert body["target_account"]["username"] == "troll"
    stored = InstanceReport.objects.get(pk=int(body["id"]))
    assert stored.reporter == reporter
    assert stored.account == troll
    assert {p.pk for p in stored.posts.all()} == {p.pk for p in posts}
    assert stored.state == InstanceReport.State.OPEN


def test_form_encoded_with_defaults(api_for: Any) -> None:
    troll = UserFactory()
    answer = api_for(UserFactory()).post(
        "/api/v1/reports",
        f"account_id={troll.pk}",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert answer.json()["category"] == "other"
    assert answer.json()["status_ids"] is None


def test_what_cannot_be_reported(api_for: Any) -> None:
    reporter, troll, other = UserFactory(), UserFactory(), UserFactory()
    client = api_for(reporter)
    hidden = publish(troll, "For followers", audience=Audience.FOLLOWERS)
    theirs = publish(other, "Someone else's")
    cases = [
        ({"account_id": str(troll.pk), "status_ids": [str(hidden.pk)]}, 404),
        ({"account_id": "999999"}, 404),
        ({"account_id": str(troll.pk), "status_ids": [str(theirs.pk)]}, 422),
        ({"account_id": str(reporter.pk)}, 422),
        ({"account_id": str(troll.pk), "category": "vibes"}, 422),
        ({"account_id": str(troll.pk), "comment": "x" * 1001}, 422),
        ({}, 422),
    ]
    for body, status in cases:
        assert client.post_json("/api/v1/reports", body).status_code == status, body
    with committed():
        block_create(blocker=troll, blocked=reporter)
    assert client.post_json("/api/v1/reports", {"account_id": str(troll.pk)}).status_code == 404
    assert not InstanceReport.objects.exists()


def test_scopes() -> None:
    user, troll = UserFactory(), UserFactory()
    body = {"account_id": str(troll.pk)}
    denied = ApiClient(issue_token(user, "read")).post_json("/api/v1/reports", body)
    assert denied.status_code == 403
    assert (
        ApiClient(issue_token(user, "write:reports")).post_json("/api/v1/reports", body).status_code
        == 200
    )
    assert ApiClient().post_json("/api/v1/reports", body).status_code == 401
