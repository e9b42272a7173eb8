"""Reports: tell the server's staff about someone, and some of their posts.

https://docs.joinmastodon.org/methods/reports/
An instance report (hearth.moderation), read by staff in Django's admin.
The person and every post must be visible to the reporter (404 otherwise,
as for anything they may not see); each post must be by that person (422).
`forward` is accepted and ignored: everyone is on this server. `rule_ids`
are accepted and ignored: the server has no numbered rules yet.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from hearth.accounts import selectors as people
from hearth.api.auth import me, token
from hearth.api.errors import ApiError
from hearth.api.parsing import IdStr, parse_id
from hearth.api.render import Renderer, iso
from hearth.api.schemas import ReportOut
from hearth.moderation.models import InstanceReport
from hearth.moderation.services import ReportError, report_create
from hearth.posts.selectors import post_get_visible

router = Router(tags=["reports"])


class ReportIn(Schema):
    account_id: IdStr
    status_ids: list[IdStr] = Field(default_factory=list, max_length=100)
    comment: str = Field(default="", max_length=20_000)
    forward: bool = False
    category: str = InstanceReport.Category.OTHER
    rule_ids: list[IdStr] = Field(default_factory=list, max_length=100)


@router.post("/v1/reports", auth=token("write:reports"), response=ReportOut)
def report(request: HttpRequest, data: ReportIn) -> ReportOut:
    user = me(request)
    account = people.user_get_visible(viewer=user, user_id=parse_id(data.account_id))
    posts = [post_get_visible(viewer=user, post_id=parse_id(i)) for i in data.status_ids]
    try:
        made = report_create(
            reporter=user,
            account=account,
            posts=posts,
            comment=data.comment,
            category=data.category,
        )
    except ReportError as exc:
        raise ApiError(422, f"Validation failed: {exc}") from None
    return ReportOut(
        id=str(made.pk),
        action_taken=False,
        action_taken_at=None,
        category=made.category,
        comment=made.comment,
        forwarded=False,
        created_at=iso(made.created_at),
        status_ids=list(dict.fromkeys(str(p.pk) for p in posts)) or None,
        rule_ids=None,
        target_account=Renderer(request, user).account(account),
    )
