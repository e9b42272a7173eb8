"""Hearth's keyword filters as Mastodon's v2 filters, both ways, in one place.

https://docs.joinmastodon.org/entities/Filter/
A Hearth filter (hearth.kindness.models.KeywordFilter) is one phrase with
an action, places and an expiry; a Mastodon filter is a title with any
number of keywords. So each Hearth filter is one Mastodon filter whose
title is the phrase and whose one keyword is the phrase too, with the same
id. Contexts:

| Mastodon | Hearth |
|---|---|
| home | home feed |
| notifications | notifications |
| thread | replies in threads |
| public | profiles and tag pages, and communities |
| account | profiles and tag pages |

A filter for Hearth's communities alone shows as `public`. When a client
sends back the contexts it was shown, the Hearth places stay as they were,
so editing through the API never widens or narrows a filter by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from hearth.accounts.models import User
from hearth.api.schemas import FilterKeywordOut, FilterOut, FilterResultOut
from hearth.kindness.filters import EXPIRY_CHOICES, KEEP_EXPIRY, keyword_filters_list
from hearth.kindness.models import KeywordFilter

Context = KeywordFilter.Context
MASTODON_CONTEXTS = ("home", "notifications", "public", "thread", "account")
# Mastodon 4.4 adds "blur"; Hearth's nearest is a warning.
ACTIONS = {"warn": KeywordFilter.Action.WARN, "hide": KeywordFilter.Action.HIDE, "blur": "warn"}


def contexts_out(item: KeywordFilter) -> list[str]:
    """The Mastodon contexts a Hearth filter applies in, in Mastodon's order."""
    found: set[str] = set()
    if item.home:
        found.add("home")
    if item.notifications:
        found.add("notifications")
    if item.threads:
        found.add("thread")
    if item.public:
        found |= {"public", "account"}
    if item.communities:
        found.add("public")
    return [c for c in MASTODON_CONTEXTS if c in found]


def contexts_in(contexts: Iterable[str], existing: KeywordFilter | None = None) -> list[str]:
    """Hearth places (KeywordFilter.Context values) for Mastodon contexts.

    Unknown contexts are ignored (clients send newer ones). If `existing`
    already shows exactly these contexts, its places are kept as they are.
    """
    wanted = {c for c in contexts if c in MASTODON_CONTEXTS}
    if existing is not None and wanted == set(contexts_out(existing)):
        return existing.contexts
    places = []
    if "home" in wanted:
        places.append(Context.HOME.value)
    if "notifications" in wanted:
        places.append(Context.NOTIFICATIONS.value)
    if "thread" in wanted:
        places.append(Context.THREADS.value)
    if "public" in wanted or "account" in wanted:
        places.append(Context.PUBLIC.value)
    if "public" in wanted:
        places.append(Context.COMMUNITIES.value)
    return places


def expiry_in(expires_in: int | str | None, *, editing: bool) -> str:
    """Hearth's expiry choice (a key of EXPIRY_CHOICES) for Mastodon's `expires_in` seconds.

    Hearth offers an hour, a day, a week and a month: a time in between
    becomes the next longer choice (30 minutes lasts an hour), anything
    past a month a month. Empty means never; absent while editing keeps it.
    """
    if expires_in is None:
        return KEEP_EXPIRY if editing else "never"
    text = str(expires_in).strip()
    if not text:
        return "never"
    seconds = int(text) if text.isdigit() else 0
    if seconds <= 0:
        return "never"
    lasting = sorted(
        ((length, key) for key, (_label, length) in EXPIRY_CHOICES.items() if length is not None),
        key=lambda pair: pair[0],
    )
    for length, key in lasting:
        if timedelta(seconds=seconds) <= length:
            return key
    return lasting[-1][1]


def keyword_out(item: KeywordFilter) -> FilterKeywordOut:
    return FilterKeywordOut(id=str(item.pk), keyword=item.phrase, whole_word=item.whole_word)


def filter_out(item: KeywordFilter) -> FilterOut:
    from hearth.api.render import iso

    return FilterOut(
        id=str(item.pk),
        title=item.phrase,
        context=contexts_out(item),
        expires_at=iso(item.expires_at) if item.expires_at else None,
        filter_action=item.action,
        keywords=[keyword_out(item)],
        statuses=[],
    )


class FilterResults:
    """The viewer's filters by phrase, loaded once, for statuses' `filtered` field."""

    def __init__(self, viewer: User) -> None:
        self.viewer = viewer
        self._by_phrase: dict[str, KeywordFilter] | None = None

    def results(self, phrase: str) -> list[dict[str, Any]]:
        """[FilterResult] for the filter whose phrase a post matched; [] if it is gone."""
        if self._by_phrase is None:
            self._by_phrase = {
                row.filter.phrase: row.filter for row in keyword_filters_list(owner=self.viewer)
            }
        item = self._by_phrase.get(phrase)
        if item is None:
            return []
        result = FilterResultOut(
            filter=filter_out(item), keyword_matches=[item.phrase], status_matches=None
        )
        return [result.model_dump(mode="json")]
