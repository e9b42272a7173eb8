"""Reporting someone to the server's staff, and closing a report."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.moderation.models import InstanceReport
from hearth.posts.models import Post


class ReportError(ValueError):
    """The report cannot be made as asked; the message is for the reporter."""


def report_create(
    *,
    reporter: User,
    account: User,
    posts: Sequence[Post] = (),
    comment: str = "",
    category: str = InstanceReport.Category.OTHER,
) -> InstanceReport:
    """Report `account` (and some of their `posts`) to the server's staff.

    The caller must have read `account` and every post through access
    helpers for `reporter`. Raises ReportError for reporting oneself, a
    post by someone else, too many posts, a long comment or an unknown
    category. Emits no event: staff read reports in the admin, and the
    reported person is never told who reported them.
    """
    if account.pk == reporter.pk:
        raise ReportError("You can't report yourself.")
    if category not in InstanceReport.Category.values:
        raise ReportError(
            "Category must be one of: " + ", ".join(InstanceReport.Category.values) + "."
        )
    comment = comment.strip()
    if len(comment) > InstanceReport.MAX_COMMENT_LENGTH:
        raise ReportError(
            f"A report's comment can be up to {InstanceReport.MAX_COMMENT_LENGTH} characters."
        )
    unique = list({p.pk: p for p in posts}.values())
    if len(unique) > InstanceReport.MAX_POSTS:
        raise ReportError(f"A report can name up to {InstanceReport.MAX_POSTS} posts.")
    if any(p.author_id != account.pk for p in unique):
        raise ReportError("Every reported post must be by the person reported.")
    with transaction.atomic():
        report = InstanceReport.objects.create(
            reporter=reporter, account=account, comment=comment, category=category
        )
        report.posts.set(unique)
    return report


def report_resolve(*, report: InstanceReport, actor: User) -> InstanceReport:
    """Close a report; closing it twice is harmless.

    Only staff may: raises PermissionError for anyone else. Emits no event.
    """
    if not actor.is_staff:
        raise PermissionError("Only the server's staff can resolve reports.")
    if report.state != InstanceReport.State.RESOLVED:
        report.state = InstanceReport.State.RESOLVED
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["state", "resolved_at", "resolved_by"])
    return report
