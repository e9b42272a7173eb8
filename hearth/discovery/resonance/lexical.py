"""The default "find your people" model: TF-IDF over words, concepts and characters.

Three views of each community, each L2-normalised so a dot product is a cosine:

- words and word pairs (plus concept tokens, see `concepts.py`) of what the
  community says about itself: name, description, who it is for, topics;
- the same over what is said in it: rules and recent posts (empty for a
  private community);
- character 3-5-grams of the description part, which forgive typos and
  word forms ("alzheimers", "grieving" / "grief").

A query's score is a weighted sum of its cosines with the three views. The
matrices are kept transposed (terms x communities, CSR), so one query costs
work in proportion to how common its own terms are, not to the catalogue.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from hearth.discovery.resonance.concepts import concept_tokens
from hearth.discovery.resonance.documents import (
    CommunityDoc,
    Match,
    Unit,
    Units,
    clean_query,
    doc_units,
)
from hearth.discovery.resonance.reasons import best_reason

# Function words only: words such as "alone", "back", "empty" or "home" say
# something about a person's situation and stay in.
_STOP_TEXT = """a about above after again all am an and any are as at be been before being
    below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves im ive id ill its
    dont doesnt didnt cant wont isnt arent wasnt werent havent hasnt hadnt youre
    theyre thats theres whats also get got really much anyone anything everyone
    someone something one still even ever every know like want need feel feels
    felt think"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+(?:[+&][a-z0-9]*)?")


def word_features(text: str) -> list[str]:
    """Words (no function words), adjacent word pairs, and concept tokens (twice)."""
    lowered = text.lower().replace("\u2019", "'").replace("'", "")
    words = [w for w in _WORD.findall(lowered) if w not in STOP_WORDS and len(w) > 1]
    features = list(words)
    features.extend(f"{a} {b}" for a, b in itertools.pairwise(words))
    concepts = concept_tokens(text)
    features.extend(concepts)
    features.extend(concepts)  # a shared situation counts for more than a shared word
    return features


@dataclass(frozen=True, slots=True)
class LexicalWeights:
    about: float = 0.45
    talk: float = 0.25
    chars: float = 0.30


def _given(features: list[str]) -> list[str]:
    return features


def _dense_row(matrix: Any) -> npt.NDArray[np.float32]:
    return np.asarray(matrix.toarray(), dtype=np.float32).ravel()


class LexicalRanker:
    """TF-IDF ranker (scikit-learn); no network, no model files."""

    name = "lexical"

    def __init__(self, weights: LexicalWeights | None = None) -> None:
        self.weights = weights or LexicalWeights()
        self._docs: list[CommunityDoc] = []
        self._units: list[Units] = []
        self._unit_offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._word: Any = None
        self._chars: Any = None
        self._about_t: Any = None
        self._talk_t: Any = None
        self._chars_t: Any = None
        self._unit_words: Any = None

    def fit(self, docs: Sequence[CommunityDoc]) -> Self:
        from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
            TfidfVectorizer,
        )

        self._docs = list(docs)
        self._units = [doc_units(doc) for doc in self._docs]
        if not self._docs:
            return self
        about = [" ".join(u.text for u in units.about) for units in self._units]

        # Each distinct unit is analysed once; a community's features are its
        # units' features (so no word pair spans two units).
        analysed: dict[str, list[str]] = {}

        def features(units: Sequence[Unit]) -> list[str]:
            out: list[str] = []
            for unit in units:
                if unit.text not in analysed:
                    analysed[unit.text] = word_features(unit.text)
                out.extend(analysed[unit.text])
            return out

        reason_units = [u for units in self._units for u in units.all]
        self._word = TfidfVectorizer(analyzer=_given, sublinear_tf=True, dtype=np.float32)
        about_words = self._word.fit_transform(
            [features(units.about) for units in self._units]
            + [features(units.talk) for units in self._units]
        )
        self._chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            lowercase=True,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._chars_t = self._chars.fit_transform(about).T.tocsr()
        n = len(about)
        self._about_t = about_words[:n].T.tocsr()
        self._talk_t = about_words[n:].T.tocsr()

        # Every unit's word vector, for reasons: rows of community i are
        # _unit_offsets[i]:_unit_offsets[i + 1].
        counts = [len(units.all) for units in self._units]
        self._unit_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._unit_words = self._word.transform([analysed[u.text] for u in reason_units])
        return self

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """How well the query matches each community, in fit order (0 = nothing shared)."""
        query = clean_query(query)
        if not query or not self._docs:
            return np.zeros(len(self._docs), dtype=np.float32)
        return self._scores(query, self._word.transform([word_features(query)]))

    def _scores(self, query: str, q_word: Any) -> npt.NDArray[np.float32]:
        w = self.weights
        total = w.about * _dense_row(q_word @ self._about_t)
        total += w.talk * _dense_row(q_word @ self._talk_t)
        if q_word.nnz:  # characters alone ("?!") match nothing
            q_chars = self._chars.transform([query])
            total += w.chars * _dense_row(q_chars @ self._chars_t)
        return total

    def rank(self, query: str, limit: int = 10) -> list[Match]:
        query = clean_query(query)
        if not query or not self._docs or limit <= 0:
            return []
        q_word = self._word.transform([word_features(query)])
        scores = self._scores(query, q_word)
        return [
            Match(self._docs[i].id, round(float(scores[i]), 4), self._reason(i, q_word))
            for i in _top_indices(scores, limit)
        ]

    def _reason(self, i: int, q_word: Any) -> str:
        units: list[Unit] = self._units[i].all
        start, end = int(self._unit_offsets[i]), int(self._unit_offsets[i + 1])
        unit_scores = _dense_row(self._unit_words[start:end] @ q_word.T)
        return best_reason(units, unit_scores.tolist())


def _top_indices(scores: npt.NDArray[np.float32], limit: int) -> list[int]:
    """Indices of the `limit` best positive scores, best first (ties: catalogue order)."""
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0:
        return []
    if positive.size > limit:
        part = np.argpartition(-scores[positive], limit - 1)[:limit]
        positive = positive[part]
    order = np.lexsort((positive, -scores[positive]))
    return [int(i) for i in positive[order]]
