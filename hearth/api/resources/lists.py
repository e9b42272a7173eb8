"""Lists: people one follows, read as a timeline of their own.

https://docs.joinmastodon.org/methods/lists/
https://docs.joinmastodon.org/methods/timelines/#list

Hearth's lists (hearth.feeds.lists) are private to their owner: anyone
else's list is a 404, the same as a missing one. Only people the owner
follows can be added (422 otherwise, as on Mastodon); someone the owner
stops following drops out of the list's members and timeline at once.
Adding someone already in the list changes nothing. The timeline shows
only posts the owner may see, without people they mute, with their keyword
filters for the home feed; `replies_policy` is `followed`, `list` or
`none`, and `exclusive` keeps members' posts out of the home timeline.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from hearth.accounts import selectors as people
from hearth.accounts.models import User
from hearth.api.auth import me, token
from hearth.api.errors import ApiError
from hearth.api.pagination import apply_window, bounds, set_link, window_from
from hearth.api.parsing import form_data, parse_id, query_list
from hearth.api.render import Renderer
from hearth.api.schemas import AccountOut, ListOut, StatusOut
from hearth.feeds import lists
from hearth.feeds.models import ReadingList, ReadingListMember

router = Router(tags=["lists"])


class ListIn(Schema):
    title: str = Field(max_length=1000)
    replies_policy: str = ReadingList.RepliesPolicy.LIST
    exclusive: bool = False


class ListEditIn(Schema):
    title: str | None = Field(default=None, max_length=1000)
    replies_policy: str | None = None
    exclusive: bool | None = None


def list_out(item: ReadingList) -> ListOut:
    return ListOut(
        id=str(item.pk),
        title=item.title,
        replies_policy=item.replies_policy,
        exclusive=item.exclusive,
    )


def _invalid(exc: lists.ListError) -> ApiError:
    return ApiError(422, f"Validation failed: {exc}")


def _own(request: HttpRequest, list_id: str) -> tuple[User, ReadingList]:
    user = me(request)
    return user, lists.list_get_own(owner=user, list_id=parse_id(list_id))


@router.get("/v1/lists", auth=token("read:lists"), response=list[ListOut])
def lists_index(request: HttpRequest) -> list[ListOut]:
    return [list_out(item) for item in lists.lists_of(owner=me(request))]


@router.post("/v1/lists", auth=token("write:lists"), response=ListOut)
def list_create(request: HttpRequest, data: ListIn) -> ListOut:
    try:
        item = lists.list_create(
            owner=me(request),
            title=data.title,
            replies_policy=data.replies_policy,
            exclusive=data.exclusive,
        )
    except lists.ListError as exc:
        raise _invalid(exc) from None
    return list_out(item)


@router.get("/v1/lists/{list_id}", auth=token("read:lists"), response=ListOut)
def list_get(request: HttpRequest, list_id: str) -> ListOut:
    return list_out(_own(request, list_id)[1])


@router.put("/v1/lists/{list_id}", auth=token("write:lists"), response=ListOut)
def list_update(request: HttpRequest, list_id: str, data: ListEditIn) -> ListOut:
    user, item = _own(request, list_id)
    try:
        item = lists.list_update(
            reading_list=item,
            owner=user,
            title=data.title,
            replies_policy=data.replies_policy,
            exclusive=data.exclusive,
        )
    except lists.ListError as exc:
        raise _invalid(exc) from None
    return list_out(item)


@router.delete("/v1/lists/{list_id}", auth=token("write:lists"), response=dict[str, Any])
def list_delete(request: HttpRequest, list_id: str) -> dict[str, Any]:
    user, item = _own(request, list_id)
    lists.list_delete(reading_list=item, owner=user)
    return {}


def _account_ids(request: HttpRequest) -> list[int]:
    """`account_ids[]` from the query string or the body (DELETE sends either)."""
    raw: list[Any] = query_list(request, "account_ids")
    content_type = (request.content_type or "").lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = form_data(request)[0]
        raw += form.getlist("account_ids[]") + form.getlist("account_ids")
    elif request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ApiError(400, "The request body could not be parsed") from None
        found = body.get("account_ids", []) if isinstance(body, dict) else []
        raw += found if isinstance(found, list) else [found]
    if not raw:
        raise ApiError(422, "Validation failed: account_ids: Field required")
    return list(dict.fromkeys(parse_id(v) for v in raw))


@router.get("/v1/lists/{list_id}/accounts", auth=token("read:lists"), response=list[AccountOut])
def list_accounts(request: HttpRequest, response: HttpResponse, list_id: str) -> list[AccountOut]:
    """The list's members, in the order they were added; `limit=0` for all of them."""
    user, item = _own(request, list_id)
    memberships = lists.list_memberships(reading_list=item)
    rows: list[ReadingListMember]
    if request.GET.get("limit") == "0":
        rows = list(memberships.order_by("-id"))
    else:
        rows = apply_window(memberships, window_from(request, default=40, most=80))
        newest, oldest = bounds(rows)
        set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, user)
    return [renderer.account(row.member) for row in rows]


@router.post("/v1/lists/{list_id}/accounts", auth=token("write:lists"), response=dict[str, Any])
def list_accounts_add(request: HttpRequest, list_id: str) -> dict[str, Any]:
    user, item = _own(request, list_id)
    members = [people.user_get_visible(viewer=user, user_id=pk) for pk in _account_ids(request)]
    try:
        lists.list_members_add(reading_list=item, owner=user, members=members)
    except lists.ListError as exc:
        raise _invalid(exc) from None
    return {}


@router.delete("/v1/lists/{list_id}/accounts", auth=token("write:lists"), response=dict[str, Any])
def list_accounts_remove(request: HttpRequest, list_id: str) -> dict[str, Any]:
    user, item = _own(request, list_id)
    lists.list_members_remove(reading_list=item, owner=user, member_ids=_account_ids(request))
    return {}


@router.get("/v1/accounts/{account_id}/lists", auth=token("read:lists"), response=list[ListOut])
def account_lists(request: HttpRequest, account_id: str) -> list[ListOut]:
    """The caller's lists that hold this person."""
    user = me(request)
    person = people.user_get_visible(viewer=user, user_id=parse_id(account_id))
    return [list_out(item) for item in lists.lists_with_member(owner=user, member=person)]


@router.get("/v1/timelines/list/{list_id}", auth=token("read:lists"), response=list[StatusOut])
def list_timeline(request: HttpRequest, response: HttpResponse, list_id: str) -> list[StatusOut]:
    user, item = _own(request, list_id)
    page = lists.list_timeline(reading_list=item, window=window_from(request))
    set_link(request, response, newest=page.newest_id, oldest=page.oldest_id)
    return Renderer(request, user).statuses(page.posts)
