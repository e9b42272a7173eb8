"""Keyword filters: words or phrases a person would rather not see.

A filter hides matching posts, or shows them behind a "Matches your filter"
control, in the contexts its owner chose (home feed, notifications, replies
in threads; communities once they exist). It never applies to the owner's
own posts, and an expired filter does nothing.

Matching (`compile_filters`, `phrase_matches`) is pure. Text and phrase are
folded the same way: NFKC, case-folded, and stripped of zero-width and
other invisible characters and of accents on Latin letters, as the judge
strips them (`hearth.kindness.normalize`), so "spo<zero-width space>iler"
and "Spöiler" match "spoiler", and a filter for "café" also catches "cafe". The judge's
leetspeak and look-alike mapping is not applied: it guesses, and a guess
that hides the wrong post is worse than a miss the owner can fix by adding
a spelling. A phrase of several words matches across any run of
whitespace. "Whole word" puts a boundary at each end of the phrase that is
a letter, digit or mark (so "#tag" and "c++" work), except for scripts
written without spaces (Chinese, Japanese, Thai ...), where every match
counts.

Each page loads the reader's active filters for its context once
(`keyword_filters_active`, one query) and prepares them once
(`CompiledFilters`); each phrase's regular expression is compiled once per
process and shared by everyone who filters it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from hearth.accounts.models import User
from hearth.core.events import emit
from hearth.kindness.events import KeywordFiltersChanged
from hearth.kindness.models import KeywordFilter

# The judge's own step for invisible characters and stacked accents; the
# rest of its normalisation (leetspeak, look-alikes) is meant for a
# classifier that weighs evidence, not for an exact filter.
from hearth.kindness.normalize import _strip_invisible

Action = KeywordFilter.Action
Context = KeywordFilter.Context

# Choices for how long a filter lasts; "month" is 30 days.
EXPIRY_CHOICES: dict[str, tuple[str, timedelta | None]] = {
    "never": ("Never", None),
    "hour": ("1 hour", timedelta(hours=1)),
    "day": ("1 day", timedelta(days=1)),
    "week": ("1 week", timedelta(weeks=1)),
    "month": ("1 month", timedelta(days=30)),
}
# On edit: leave the expiry as it is.
KEEP_EXPIRY = "keep"


# ---------------------------------------------------------------------------
# Matching: pure functions


def fold(text: str) -> str:
    """The form both text and phrases are compared in (see the module docstring)."""
    # Case-folding first, so what it produces ("İ" -> "i" + combining dot)
    # is cleaned up by the stripping step.
    return _strip_invisible(unicodedata.normalize("NFKC", text).casefold())


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


# Scripts written without spaces between words: a boundary means nothing there.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)


def _is_word_edge(ch: str) -> bool:
    """True if a whole-word match needs a boundary next to `ch`."""
    if _UNSPACED.match(ch):
        return False
    return ch.isalnum() or ch == "_" or _is_mark(ch)


@dataclass(frozen=True)
class Rule:
    """One filter as matching sees it."""

    phrase: str
    whole_word: bool = True
    action: str = Action.WARN


@dataclass(frozen=True)
class _Phrase:
    shown: str
    action: str
    # The longest word of the folded phrase: a text without it cannot match.
    needle: str
    regex: str
    # Whether a match needs a word boundary before and after it.
    before: bool
    after: bool


def _phrase(rule: Rule) -> _Phrase | None:
    words = fold(rule.phrase).split()
    if not words:
        return None
    return _Phrase(
        shown=rule.phrase,
        action=rule.action,
        needle=max(words, key=len),
        # Any run of whitespace between the words.
        regex=r"\s+".join(map(re.escape, words)),
        before=rule.whole_word and _is_word_edge(words[0][0]),
        after=rule.whole_word and _is_word_edge(words[-1][-1]),
    )


@lru_cache(maxsize=4096)
def _pattern(regex: str, before: bool, after: bool) -> re.Pattern[str]:
    """One phrase's pattern; shared by everyone who filters the same phrase."""
    return re.compile(("(?<!\\w)" if before else "") + regex + ("(?!\\w)" if after else ""))


def _occurs(phrase: _Phrase, text: str) -> bool:
    """Whether `phrase` is in the folded `text`, with its boundaries."""
    pattern = _pattern(phrase.regex, phrase.before, phrase.after)
    pos = 0
    while (found := pattern.search(text, pos)) is not None:
        start, end = found.span()
        # Python's \w leaves out combining marks, yet a Hindi vowel sign is
        # part of its word: a mark next to the match means no boundary.
        # Putting every mark in the pattern made it slow to compile.
        if not (
            (phrase.before and start > 0 and _is_mark(text[start - 1]))
            or (phrase.after and end < len(text) and _is_mark(text[end]))
        ):
            return True
        pos = start + 1
    return False


@dataclass(frozen=True)
class FilterMatch:
    """The filter a text matched: its phrase as its owner typed it, and what to do."""

    phrase: str
    action: str

    @property
    def hides(self) -> bool:
        return self.action == Action.HIDE


class CompiledFilters:
    """A person's filters for one context, ready to test any number of texts.

    Hide filters are tried before warn filters, so a text matching both is
    hidden, and longer phrases before shorter ones, so a warning names "new
    york city" rather than "new york". A phrase is looked for with a plain
    substring test of its longest word first: with a hundred filters that
    is about fifteen times faster than one combined regular expression,
    and only the few phrases that pass run their (cached) pattern.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        phrases = [p for p in map(_phrase, rules) if p is not None]
        self._phrases = sorted(phrases, key=lambda p: (p.action != Action.HIDE, -len(p.regex)))

    def __bool__(self) -> bool:
        return bool(self._phrases)

    @property
    def hides(self) -> bool:
        """True if any filter here hides (rather than warns)."""
        return any(p.action == Action.HIDE for p in self._phrases)

    def match(self, *texts: str) -> FilterMatch | None:
        """The first filter any of `texts` matches, hide filters first; None if none does."""
        if not self._phrases:
            return None
        # Each text on its own, so a phrase never spans a content warning and the post.
        folded = [t for t in map(fold, texts) if t]
        for phrase in self._phrases:
            for text in folded:
                if phrase.needle in text and _occurs(phrase, text):
                    return FilterMatch(phrase=phrase.shown, action=phrase.action)
        return None


def compile_filters(rules: Iterable[Rule]) -> CompiledFilters:
    """Compile `rules` once for testing many texts against them."""
    return CompiledFilters(list(rules))


def phrase_matches(phrase: str, text: str, *, whole_word: bool = True) -> bool:
    """Whether `text` contains `phrase` under the filter rules (see the module docstring)."""
    return compile_filters([Rule(phrase=phrase, whole_word=whole_word)]).match(text) is not None


# ---------------------------------------------------------------------------
# Applying a person's filters to what a page shows


class Filterable(Protocol):
    """What filtering reads from a post."""

    @property
    def author_id(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def content_warning(self) -> str: ...


P = TypeVar("P", bound=Filterable)
T = TypeVar("T")


class ActiveFilters:
    """One reader's active filters for one context (see `keyword_filters_active`)."""

    def __init__(self, *, owner_id: int | None, compiled: CompiledFilters) -> None:
        self.owner_id = owner_id
        self.compiled = compiled

    @property
    def hides(self) -> bool:
        """True if some filter here hides posts, so counts must look at post texts."""
        return self.compiled.hides

    def check(self, post: Filterable | None) -> FilterMatch | None:
        """The filter `post` matches; None for no post, no match, or the reader's own post."""
        if post is None or not self.compiled or post.author_id == self.owner_id:
            return None
        return self.compiled.match(post.content_warning, post.text)

    def keeps(self, post: Filterable | None) -> bool:
        """False if a hide filter matches `post`; a warn filter sets `post.filtered_as`.

        `filtered_as` is the phrase as its owner typed it; posts/_post.html
        shows such a post behind a "Matches your filter" control.
        """
        found = self.check(post)
        if found is None:
            return True
        if found.hides:
            return False
        setattr(post, "filtered_as", found.phrase)  # noqa: B010 (an attribute for templates only)
        return True

    def apply(self, posts: Iterable[P]) -> list[P]:
        """`posts` without the hidden ones, the warned ones marked (see `keeps`)."""
        return [p for p in posts if self.keeps(p)]

    def apply_to(self, items: Iterable[T], post_of: Callable[[T], Filterable | None]) -> list[T]:
        """Like `apply`, for items about a post (notifications): the post is marked."""
        return [item for item in items if self.keeps(post_of(item))]


def _unexpired(now: datetime) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def keyword_filters_active(
    *, viewer: User | None, context: str, now: datetime | None = None
) -> ActiveFilters:
    """The reader's unexpired filters for `context` (a KeywordFilter.Context value).

    One query; none for an anonymous reader, who has no filters. Raises
    ValueError for an unknown context.
    """
    if context not in Context.values:
        raise ValueError(f"Unknown filter context {context!r}")
    if viewer is None:
        return ActiveFilters(owner_id=None, compiled=CompiledFilters([]))
    rows = (
        KeywordFilter.objects.filter(_unexpired(now or timezone.now()), owner=viewer)
        .filter(**{context: True})
        .values_list("phrase", "whole_word", "action")
    )
    rules = [Rule(phrase=p, whole_word=w, action=a) for p, w, a in rows]
    return ActiveFilters(owner_id=viewer.pk, compiled=CompiledFilters(rules))


# ---------------------------------------------------------------------------
# The settings page: reads


@dataclass(frozen=True)
class FilterRow:
    """A filter as the settings page lists it."""

    filter: KeywordFilter
    # (KeywordFilter.Context value, label) for each context it applies in.
    contexts: list[tuple[str, str]]
    expired: bool
    expiry: str


def expiry_label(expires_at: datetime | None, now: datetime) -> str:
    """ "Never expires", "Expired", or "Expires in 3 days", rounded to the nearest unit."""
    if expires_at is None:
        return "Never expires"
    left = (expires_at - now).total_seconds()
    if left <= 0:
        return "Expired"
    hour, day = 3600, 86400
    if left >= day - hour / 2:
        n, unit = round(left / day), "day"
    elif left >= hour - 60:
        n, unit = round(left / hour), "hour"
    elif left >= 60:
        n, unit = round(left / 60), "minute"
    else:
        return "Expires in less than a minute"
    return f"Expires in {n} {unit}{'' if n == 1 else 's'}"


def keyword_filters_list(*, owner: User, now: datetime | None = None) -> list[FilterRow]:
    """All of `owner`'s filters, active and expired, newest first, for the settings page."""
    now = now or timezone.now()
    labels = dict(Context.choices)
    return [
        FilterRow(
            filter=f,
            contexts=[(c, labels[c]) for c in f.contexts],
            expired=f.expires_at is not None and f.expires_at <= now,
            expiry=expiry_label(f.expires_at, now),
        )
        for f in KeywordFilter.objects.filter(owner=owner).order_by("-created_at", "-id")
    ]


def keyword_filter_get_own(*, owner: User, filter_id: int) -> KeywordFilter:
    """`owner`'s filter `filter_id`; Http404 for anyone else's, the same as for a missing one."""
    # An id past the 64-bit range would make the database driver raise.
    found = (
        KeywordFilter.objects.filter(pk=filter_id, owner=owner).first()
        if 0 < filter_id < 2**63
        else None
    )
    if found is None:
        raise Http404("No such filter")
    return found


# ---------------------------------------------------------------------------
# The settings page: writes


class FilterError(Exception):
    """A filter cannot be saved. `field` names the form field at fault, None for the whole form."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


EMPTY_PHRASE = "Type a word or phrase to filter."
NO_CONTEXT = "Choose at least one place where this filter applies."

# Invisible characters outside category Cf (fillers and the braille blank).
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def clean_phrase(phrase: str) -> str:
    """The phrase as stored: invisible characters dropped, whitespace runs made one space."""
    visible = "".join(
        ch
        for ch in unicodedata.normalize("NFC", phrase)
        if unicodedata.category(ch) != "Cf"
        and ch not in _INVISIBLE
        and not 0xFE00 <= ord(ch) <= 0xFE0F
    )
    return " ".join(visible.split())


def phrase_error(phrase: str) -> str | None:
    """Why a cleaned phrase cannot be a filter (empty, too long); None if it can."""
    if not phrase or not fold(phrase).strip():
        return EMPTY_PHRASE
    if len(phrase) > KeywordFilter.MAX_PHRASE_LENGTH:
        return (
            f"Keep the phrase to {KeywordFilter.MAX_PHRASE_LENGTH} characters or fewer "
            f"(it has {len(phrase)})."
        )
    return None


def _validated(
    *, owner: User, phrase: str, action: str, contexts: Sequence[str], exclude: int | None
) -> str:
    """Check a filter's fields against the rules and `owner`'s other filters; the clean phrase."""
    phrase = clean_phrase(phrase)
    problem = phrase_error(phrase)
    if problem:
        raise FilterError(problem, field="phrase")
    if action not in Action.values:
        raise FilterError("Choose whether to hide or to warn.", field="action")
    if not contexts:
        raise FilterError(NO_CONTEXT, field="contexts")
    if unknown := set(contexts) - set(Context.values):
        raise FilterError(f"Unknown place {sorted(unknown)[0]!r}.", field="contexts")
    key = " ".join(fold(phrase).split())
    for other_id, other in KeywordFilter.objects.filter(owner=owner).values_list("pk", "phrase"):
        if other_id != exclude and " ".join(fold(other).split()) == key:
            raise FilterError(f"You already have a filter for “{other}”.", field="phrase")
    return phrase


def _expires_at(expiry: str, now: datetime) -> datetime | None:
    if expiry not in EXPIRY_CHOICES:
        raise FilterError("Choose how long the filter lasts.", field="expiry")
    length = EXPIRY_CHOICES[expiry][1]
    return None if length is None else now + length


def _duplicate(phrase: str) -> FilterError:
    return FilterError(f"You already have a filter for “{phrase}”.", field="phrase")


def keyword_filter_create(
    *,
    owner: User,
    phrase: str,
    whole_word: bool,
    action: str,
    contexts: Sequence[str],
    expiry: str,
    now: datetime | None = None,
) -> KeywordFilter:
    """Add a filter for `owner`.

    `contexts` are KeywordFilter.Context values (at least one); `expiry` a
    key of EXPIRY_CHOICES. Raises FilterError, naming the field, for an
    empty or too long phrase (after invisible characters are dropped), one
    `owner` already filters in any case or spelling that folds the same, no
    context, or an unknown action or expiry; and with no field once `owner`
    has KeywordFilter.MAX_PER_PERSON filters. Emits KeywordFiltersChanged.
    """
    now = now or timezone.now()
    expires_at = _expires_at(expiry, now)
    try:
        with transaction.atomic():
            # Lock the owner's row so that two adds at once cannot both pass
            # the limit on PostgreSQL; SQLite lets one writer in at a time.
            User.objects.select_for_update().filter(pk=owner.pk).exists()
            clean = _validated(
                owner=owner, phrase=phrase, action=action, contexts=contexts, exclude=None
            )
            if KeywordFilter.objects.filter(owner=owner).count() >= KeywordFilter.MAX_PER_PERSON:
                raise FilterError(
                    f"You have {KeywordFilter.MAX_PER_PERSON} filters, the most Hearth keeps "
                    "for one person. Delete one you no longer need (expired ones are a good "
                    "start), then add this one."
                )
            made = KeywordFilter.objects.create(
                owner=owner,
                phrase=clean,
                whole_word=whole_word,
                action=action,
                expires_at=expires_at,
                created_at=now,
                **{c.value: c.value in contexts for c in Context},
            )
            emit(KeywordFiltersChanged(owner_id=owner.pk))
            return made
    except IntegrityError:
        # The unique constraint: the same phrase added twice at once.
        raise _duplicate(clean_phrase(phrase)) from None


def keyword_filter_update(
    *,
    owner: User,
    filter_id: int,
    phrase: str,
    whole_word: bool,
    action: str,
    contexts: Sequence[str],
    expiry: str,
    now: datetime | None = None,
) -> KeywordFilter:
    """Change one of `owner`'s filters; `expiry` may also be KEEP_EXPIRY.

    A new expiry counts from now. Raises Http404 if `filter_id` is not
    `owner`'s, and FilterError as keyword_filter_create does (never for the
    limit). Emits KeywordFiltersChanged.
    """
    now = now or timezone.now()
    existing = keyword_filter_get_own(owner=owner, filter_id=filter_id)
    expires_at = existing.expires_at if expiry == KEEP_EXPIRY else _expires_at(expiry, now)
    clean = _validated(
        owner=owner, phrase=phrase, action=action, contexts=contexts, exclude=existing.pk
    )
    existing.phrase = clean
    existing.whole_word = whole_word
    existing.action = action
    existing.expires_at = expires_at
    for c in Context:
        setattr(existing, c.value, c.value in contexts)
    try:
        with transaction.atomic():
            existing.save()
            emit(KeywordFiltersChanged(owner_id=owner.pk))
    except IntegrityError:
        raise _duplicate(clean) from None
    return existing


def keyword_filter_delete(*, owner: User, filter_id: int) -> str:
    """Delete one of `owner`'s filters and return its phrase.

    Raises Http404 if `filter_id` is not `owner`'s. Emits KeywordFiltersChanged.
    """
    found = keyword_filter_get_own(owner=owner, filter_id=filter_id)
    with transaction.atomic():
        found.delete()
        emit(KeywordFiltersChanged(owner_id=owner.pk))
    return found.phrase
