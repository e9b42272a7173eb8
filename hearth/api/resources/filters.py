"""Filters (v2): Hearth's keyword filters, read and changed through the API.

https://docs.joinmastodon.org/methods/filters/
How a Hearth filter maps onto a Mastodon one (one keyword each, contexts,
expiry) is in hearth.api.filtermap. What follows from it:

* creating a filter with no keyword filters its title; with one keyword,
  that keyword (the title is the phrase); with more, 422: make one filter
  per keyword;
* a keyword's id is its filter's id; adding a second keyword is a 422, and
  deleting the keyword deletes the filter (a filter without one does
  nothing);
* filtering single statuses (`/filters/:id/statuses`) is not available:
  the list is always empty and adding one is a 422;
* `filter_action` is `warn` or `hide` (`blur` is taken as `warn`).

Filters apply on the server, as before: a post a `hide` filter matches is
left out, one a `warn` filter matches carries `filtered`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from hearth.accounts.models import User
from hearth.api.auth import me, token
from hearth.api.errors import ApiError
from hearth.api.filtermap import ACTIONS, contexts_in, expiry_in, filter_out, keyword_out
from hearth.api.parsing import IdStr, parse_id
from hearth.api.schemas import FilterKeywordOut, FilterOut, FilterStatusOut
from hearth.kindness import filters as kindness
from hearth.kindness.models import KeywordFilter

router = Router(tags=["filters"])

ONE_KEYWORD = "Hearth filters hold one keyword each: make one filter per keyword."


class KeywordIn(Schema):
    id: IdStr | None = None
    keyword: str | None = Field(default=None, max_length=1000)
    whole_word: bool | None = None
    destroy: bool = Field(default=False, alias="_destroy")


class FilterIn(Schema):
    title: str = Field(default="", max_length=1000)
    context: list[str] = Field(default_factory=list)
    filter_action: str = "warn"
    expires_in: int | str | None = None
    keywords_attributes: list[KeywordIn] | dict[str, KeywordIn] = Field(default_factory=list)


class FilterEditIn(Schema):
    title: str | None = Field(default=None, max_length=1000)
    context: list[str] | None = None
    filter_action: str | None = None
    expires_in: int | str | None = None
    keywords_attributes: list[KeywordIn] | dict[str, KeywordIn] = Field(default_factory=list)


class KeywordEditIn(Schema):
    keyword: str | None = Field(default=None, max_length=1000)
    whole_word: bool | None = None


def _keywords(raw: list[KeywordIn] | dict[str, KeywordIn]) -> list[KeywordIn]:
    # Form bodies send `keywords_attributes[][keyword]` or `keywords_attributes[0][keyword]`.
    return list(raw.values()) if isinstance(raw, dict) else raw


def _action(raw: str) -> str:
    action = ACTIONS.get(raw)
    if action is None:
        raise ApiError(422, "Validation failed: filter_action must be warn or hide.")
    return str(action)


def _invalid(exc: kindness.FilterError) -> ApiError:
    return ApiError(422, f"Validation failed: {exc.message}")


def _own(request: HttpRequest, filter_id: str) -> tuple[User, KeywordFilter]:
    user = me(request)
    return user, kindness.keyword_filter_get_own(owner=user, filter_id=parse_id(filter_id))


def _save(
    user: User,
    item: KeywordFilter,
    *,
    phrase: str | None = None,
    whole_word: bool | None = None,
    action: str | None = None,
    contexts: list[str] | None = None,
    expiry: str = kindness.KEEP_EXPIRY,
) -> KeywordFilter:
    """Change what is given of `item`, keeping the rest as it is."""
    try:
        return kindness.keyword_filter_update(
            owner=user,
            filter_id=item.pk,
            phrase=item.phrase if phrase is None else phrase,
            whole_word=item.whole_word if whole_word is None else whole_word,
            action=item.action if action is None else action,
            contexts=item.contexts if contexts is None else contexts,
            expiry=expiry,
        )
    except kindness.FilterError as exc:
        raise _invalid(exc) from None


@router.get("/v2/filters", auth=token("read:filters"), response=list[FilterOut])
def filters_index(request: HttpRequest) -> list[FilterOut]:
    return [filter_out(row.filter) for row in kindness.keyword_filters_list(owner=me(request))]


@router.post("/v2/filters", auth=token("write:filters"), response=FilterOut)
def filter_create(request: HttpRequest, data: FilterIn) -> FilterOut:
    user = me(request)
    keywords = [k for k in _keywords(data.keywords_attributes) if not k.destroy]
    if len(keywords) > 1:
        raise ApiError(422, f"Validation failed: {ONE_KEYWORD}")
    keyword = keywords[0] if keywords else KeywordIn(keyword=data.title, whole_word=True)
    try:
        item = kindness.keyword_filter_create(
            owner=user,
            phrase=keyword.keyword or data.title,
            whole_word=True if keyword.whole_word is None else keyword.whole_word,
            action=_action(data.filter_action),
            contexts=contexts_in(data.context),
            expiry=expiry_in(data.expires_in, editing=False),
        )
    except kindness.FilterError as exc:
        raise _invalid(exc) from None
    return filter_out(item)


@router.get(
    "/v2/filters/keywords/{keyword_id}", auth=token("read:filters"), response=FilterKeywordOut
)
def keyword_get(request: HttpRequest, keyword_id: str) -> FilterKeywordOut:
    return keyword_out(_own(request, keyword_id)[1])


@router.put(
    "/v2/filters/keywords/{keyword_id}", auth=token("write:filters"), response=FilterKeywordOut
)
def keyword_update(request: HttpRequest, keyword_id: str, data: KeywordEditIn) -> FilterKeywordOut:
    user, item = _own(request, keyword_id)
    return keyword_out(_save(user, item, phrase=data.keyword, whole_word=data.whole_word))


@router.delete(
    "/v2/filters/keywords/{keyword_id}", auth=token("write:filters"), response=dict[str, Any]
)
def keyword_delete(request: HttpRequest, keyword_id: str) -> dict[str, Any]:
    """Delete the keyword, and so its filter: a Hearth filter is its one keyword."""
    user, item = _own(request, keyword_id)
    kindness.keyword_filter_delete(owner=user, filter_id=item.pk)
    return {}


@router.get(
    "/v2/filters/statuses/{status_filter_id}", auth=token("read:filters"), response=FilterStatusOut
)
def status_filter_get(request: HttpRequest, status_filter_id: str) -> FilterStatusOut:
    me(request)
    raise ApiError(404, "Record not found")  # Hearth filters no single statuses


@router.get("/v2/filters/{filter_id}", auth=token("read:filters"), response=FilterOut)
def filter_get(request: HttpRequest, filter_id: str) -> FilterOut:
    return filter_out(_own(request, filter_id)[1])


@router.put("/v2/filters/{filter_id}", auth=token("write:filters"), response=FilterOut)
def filter_update(request: HttpRequest, filter_id: str, data: FilterEditIn) -> FilterOut:
    """Change a filter. `title` is the phrase too, unless a keyword is sent with it."""
    user, item = _own(request, filter_id)
    phrase: str | None = None
    whole_word: bool | None = None
    for keyword in _keywords(data.keywords_attributes):
        if keyword.id is not None and keyword.id != str(item.pk):
            raise ApiError(404, "Record not found")
        if keyword.destroy:
            raise ApiError(
                422, "Validation failed: A Hearth filter is its keyword: delete the filter instead."
            )
        if keyword.id is None and phrase is not None:
            raise ApiError(422, f"Validation failed: {ONE_KEYWORD}")
        phrase = keyword.keyword if keyword.keyword is not None else phrase
        whole_word = keyword.whole_word if keyword.whole_word is not None else whole_word
    if phrase is None and data.title is not None and data.title.strip():
        phrase = data.title
    item = _save(
        user,
        item,
        phrase=phrase,
        whole_word=whole_word,
        action=_action(data.filter_action) if data.filter_action is not None else None,
        contexts=contexts_in(data.context, item) if data.context is not None else None,
        expiry=expiry_in(data.expires_in, editing=True),
    )
    return filter_out(item)


@router.delete("/v2/filters/{filter_id}", auth=token("write:filters"), response=dict[str, Any])
def filter_delete(request: HttpRequest, filter_id: str) -> dict[str, Any]:
    user, item = _own(request, filter_id)
    kindness.keyword_filter_delete(owner=user, filter_id=item.pk)
    return {}


@router.get(
    "/v2/filters/{filter_id}/keywords", auth=token("read:filters"), response=list[FilterKeywordOut]
)
def keywords_index(request: HttpRequest, filter_id: str) -> list[FilterKeywordOut]:
    return [keyword_out(_own(request, filter_id)[1])]


@router.post(
    "/v2/filters/{filter_id}/keywords", auth=token("write:filters"), response=FilterKeywordOut
)
def keyword_add(request: HttpRequest, filter_id: str) -> FilterKeywordOut:
    _own(request, filter_id)
    raise ApiError(422, f"Validation failed: {ONE_KEYWORD}")


@router.get(
    "/v2/filters/{filter_id}/statuses", auth=token("read:filters"), response=list[FilterStatusOut]
)
def statuses_index(request: HttpRequest, filter_id: str) -> list[FilterStatusOut]:
    _own(request, filter_id)
    return []


@router.post(
    "/v2/filters/{filter_id}/statuses", auth=token("write:filters"), response=FilterStatusOut
)
def status_add(request: HttpRequest, filter_id: str) -> FilterStatusOut:
    _own(request, filter_id)
    raise ApiError(422, "Validation failed: Hearth filters words and phrases, not single posts.")


def _v1(item: KeywordFilter) -> dict[str, Any]:
    """The v1 Filter entity (deprecated by Mastodon, still read by older clients)."""
    from hearth.api.render import iso

    return {
        "id": str(item.pk),
        "phrase": item.phrase,
        "context": filter_out(item).context,
        "expires_at": iso(item.expires_at) if item.expires_at else None,
        "irreversible": item.action == KeywordFilter.Action.HIDE,
        "whole_word": item.whole_word,
    }


@router.get("/v1/filters", auth=token("read:filters"), response=list[dict[str, Any]])
def filters_v1(request: HttpRequest) -> list[dict[str, Any]]:
    """Read-only: v1 clients see the filters; changing them takes v2 (or the web)."""
    return [_v1(row.filter) for row in kindness.keyword_filters_list(owner=me(request))]


@router.get("/v1/filters/{filter_id}", auth=token("read:filters"), response=dict[str, Any])
def filter_v1(request: HttpRequest, filter_id: str) -> dict[str, Any]:
    return _v1(_own(request, filter_id)[1])
