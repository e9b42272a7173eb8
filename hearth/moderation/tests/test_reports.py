"""Instance reports: made through the service, read and resolved by staff in the admin."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.moderation.models import InstanceReport
from hearth.moderation.services import ReportError, report_create, report_resolve
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def test_only_staff_read_reports_in_the_admin(client_for: Any) -> None:
    reporter, troll = UserFactory(), UserFactory(username="troll")
    post = publish(troll, "Rude words here")
    report = report_create(reporter=reporter, account=troll, posts=[post], comment="Rude")
    # Staff, not a superuser: `hearth createuser --staff` makes one.
    staff = UserFactory(is_staff=True)
    listing = client_for(staff).get("/admin/moderation/instancereport/")
    assert listing.status_code == 200
    assert "troll" in listing.content.decode()
    page = client_for(staff).get(f"/admin/moderation/instancereport/{report.pk}/change/")
    assert page.status_code == 200
    assert "Rude words here" in page.content.decode()
    for outsider in (reporter, troll, None):
        answer = client_for(outsider).get("/admin/moderation/instancereport/")
        assert answer.status_code == 302, outsider
        assert "/admin/login/" in answer["Location"]


def test_staff_resolve_reports_from_the_admin(client_for: Any) -> None:
    report = report_create(reporter=UserFactory(), account=UserFactory(), category="spam")
    staff = UserFactory(is_staff=True)
    answer = client_for(staff).post(
        "/admin/moderation/instancereport/",
        {"action": "resolve", "_selected_action": [str(report.pk)]},
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.state == InstanceReport.State.RESOLVED
    assert report.resolved_by == staff
    assert report.resolved_at is not None


def test_the_service_checks_what_is_reported() -> None:
    reporter, troll, other = UserFactory(), UserFactory(), UserFactory()
    with pytest.raises(ReportError):
        report_create(reporter=reporter, account=reporter)
    with pytest.raises(ReportError):
        report_create(reporter=reporter, account=troll, posts=[publish(other, "Not theirs")])
    with pytest.raises(ReportError):
        report_create(reporter=reporter, account=troll, category="nonsense")
    with pytest.raises(PermissionError):
        report_resolve(report=report_create(reporter=reporter, account=troll), actor=reporter)
