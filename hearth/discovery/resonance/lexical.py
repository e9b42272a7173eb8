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

Nothing is fitted on the communities being ranked, so one community's change
re-encodes that community only: terms are hashed into 2**20 columns (no
vocabulary), and the inverse document frequencies are fixed, computed once
per process from the shipped reference catalogue (data/communities.json);
a term the catalogue never uses counts as the rarest. Over the catalogue
itself this is the TF-IDF model fitted on it, up to hash collisions.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from hearth.discovery.resonance import concepts
from hearth.discovery.resonance.concepts import concept_tokens
from hearth.discovery.resonance.documents import (
    CATALOGUE_PATH,
    CommunityDoc,
    CommunityId,
    Match,
    Unit,
    Units,
    clean_query,
    doc_units,
    load_catalogue,
)
from hearth.discovery.resonance.reasons import best_reason
from hearth.discovery.resonance.store import (
    Slots,
    SparseColumns,
    dense_query,
    pack,
    top_rows,
    unpack,
)

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


# Bump when the features or their weighting change: stored vectors of another
# version are recomputed (the catalogue's and concept map's digests count too).
FEATURES_VERSION = 2
N_FEATURES = 2**20
_ARRAYS = (
    "about_i",
    "about_v",
    "talk_i",
    "talk_v",
    "chars_i",
    "chars_v",
    "unit_ptr",
    "unit_i",
    "unit_v",
)
# Overlay rows (changed since the matrices were stacked) before a restack.
OVERLAY_ROWS = 256


def _given(features: list[str]) -> list[str]:
    return features


@functools.cache
def _hashers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
        HashingVectorizer,
    )

    words = HashingVectorizer(
        analyzer=_given,
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    chars = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        lowercase=True,
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    return words, chars


def _features(units: Sequence[Unit], analysed: dict[str, list[str]]) -> list[str]:
    """A community part's features: its units' features (no word pair spans two units)."""
    out: list[str] = []
    for unit in units:
        if unit.text not in analysed:
            analysed[unit.text] = word_features(unit.text)
        out.extend(analysed[unit.text])
    return out


def _about_text(units: Units) -> str:
    return " ".join(u.text for u in units.about)


def _idf(counts: Any) -> npt.NDArray[np.float32]:
    """Smoothed IDF per hashed column, as scikit-learn's TfidfVectorizer computes it."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=N_FEATURES).astype(np.float64)
    idf: npt.NDArray[np.float32] = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    return idf


@functools.cache
def reference_idf() -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Word and character IDF from the shipped catalogue, computed once per process."""
    words, chars = _hashers()
    units = [doc_units(doc) for doc in load_catalogue()]
    analysed: dict[str, list[str]] = {}
    word_docs = [_features(u.about, analysed) for u in units]
    word_docs += [_features(u.talk, analysed) for u in units]
    return _idf(words.transform(word_docs)), _idf(chars.transform([_about_text(u) for u in units]))


@functools.cache
def model_identity() -> str:
    """Names the vectors this code computes; stored vectors of another identity are stale."""
    digest = hashlib.sha256()
    digest.update(CATALOGUE_PATH.read_bytes())
    digest.update(Path(concepts.__file__).read_bytes())
    return f"lexical-v{FEATURES_VERSION}-{digest.hexdigest()[:12]}"


def _tfidf(counts: Any, idf: npt.NDArray[np.float32]) -> Any:
    """Sublinear TF times IDF, each row L2-normalised (in place on a CSR of counts)."""
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    counts.data /= np.repeat(norms, np.diff(counts.indptr)).astype(np.float32)
    counts.data = counts.data.astype(np.float32)
    return counts


def _row(matrix: Any, i: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return (
        np.asarray(matrix.indices[start:end], dtype=np.int32),
        np.asarray(matrix.data[start:end], dtype=np.float32),
    )


class LexicalRanker:
    """TF-IDF ranker over hashed terms (scikit-learn); no network, no model files.

    `encode_docs` turns communities into stored payloads, `put`/`remove`
    update the in-memory index one community at a time, `fit` does both for
    a whole list (tests and the benchmark).
    """

    name = "lexical"
    # Sparse float32 values; scipy's sparse products have no float16.
    payload_format = 1

    def __init__(self, weights: LexicalWeights | None = None) -> None:
        self.weights = weights or LexicalWeights()
        self.identity = model_identity()
        self._slots = Slots()
        self._about = SparseColumns(N_FEATURES)
        self._talk = SparseColumns(N_FEATURES)
        self._chars = SparseColumns(N_FEATURES)
        self._unit_words: list[Any] = []
        # How many live communities use each hashed column: query terms no
        # community uses are dropped before normalising the query, as a
        # vocabulary fitted on the communities would.
        self._word_users = np.zeros(N_FEATURES, dtype=np.int32)
        self._char_users = np.zeros(N_FEATURES, dtype=np.int32)
        self._columns: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = []

    # --- encoding (pure; the stored payload) -------------------------------------------

    def encode_docs(self, docs: Sequence[CommunityDoc]) -> list[bytes]:
        """One payload per community, from its own text only."""
        if not docs:
            return []
        words, chars = _hashers()
        word_idf, char_idf = reference_idf()
        all_units = [doc_units(doc) for doc in docs]
        analysed: dict[str, list[str]] = {}
        n = len(docs)
        parts = _tfidf(
            words.transform(
                [_features(u.about, analysed) for u in all_units]
                + [_features(u.talk, analysed) for u in all_units]
            ),
            word_idf,
        )
        char_rows = _tfidf(chars.transform([_about_text(u) for u in all_units]), char_idf)
        unit_texts = [unit.text for units in all_units for unit in units.all]
        unit_rows = _tfidf(words.transform([analysed[t] for t in unit_texts]), word_idf)
        payloads = []
        offset = 0
        for i, units in enumerate(all_units):
            count = len(units.all)
            unit_block = unit_rows[offset : offset + count]
            offset += count
            about_i, about_v = _row(parts, i)
            talk_i, talk_v = _row(parts, n + i)
            chars_i, chars_v = _row(char_rows, i)
            arrays: dict[str, npt.NDArray[Any]] = {
                "about_i": about_i,
                "about_v": about_v,
                "talk_i": talk_i,
                "talk_v": talk_v,
                "chars_i": chars_i,
                "chars_v": chars_v,
                "unit_ptr": np.asarray(unit_block.indptr, dtype=np.int64),
                "unit_i": np.asarray(unit_block.indices, dtype=np.int32),
                "unit_v": np.asarray(unit_block.data, dtype=np.float32),
            }
            payloads.append(pack(arrays, units))
        return payloads

    def upgrade_payload(self, payload: bytes) -> bytes:
        """The payload itself: format 1 is the only lexical format so far.

        Raises ValueError for bytes that are not a lexical payload.
        """
        arrays, _ = unpack(payload)
        if any(name not in arrays for name in _ARRAYS):
            raise ValueError("not a lexical payload")
        return payload

    # --- the index ---------------------------------------------------------------------

    def put(self, community_id: CommunityId, payload: bytes) -> None:
        """Load (or replace) one community's stored vectors."""
        arrays, units = unpack(payload)
        if community_id in self._slots:
            self._forget_columns(self._slots.row_of[community_id])
        row = self._slots.slot(community_id, units)
        self._about.set(row, arrays["about_i"], arrays["about_v"])
        self._talk.set(row, arrays["talk_i"], arrays["talk_v"])
        self._chars.set(row, arrays["chars_i"], arrays["chars_v"])
        unit_words = sparse.csr_matrix(
            (arrays["unit_v"], arrays["unit_i"], arrays["unit_ptr"]),
            shape=(len(arrays["unit_ptr"]) - 1, N_FEATURES),
        )
        while len(self._unit_words) <= row:
            self._unit_words.append(None)
            self._columns.append((np.zeros(0, np.int32), np.zeros(0, np.int32)))
        self._unit_words[row] = unit_words
        word_columns = np.union1d(arrays["about_i"], arrays["talk_i"]).astype(np.int32)
        self._columns[row] = (word_columns, arrays["chars_i"])
        self._word_users[word_columns] += 1
        self._char_users[arrays["chars_i"]] += 1

    def _forget_columns(self, row: int) -> None:
        word_columns, char_columns = self._columns[row]
        self._word_users[word_columns] -= 1
        self._char_users[char_columns] -= 1
        self._columns[row] = (np.zeros(0, np.int32), np.zeros(0, np.int32))

    def remove(self, community_id: CommunityId) -> None:
        row = self._slots.free(community_id)
        if row is None:
            return
        self._forget_columns(row)
        empty_i, empty_v = np.zeros(0, np.int32), np.zeros(0, np.float32)
        for columns in (self._about, self._talk, self._chars):
            columns.set(row, empty_i, empty_v)
        self._unit_words[row] = None

    def community_ids(self) -> list[CommunityId]:
        return list(self._slots.row_of)

    def compact(self) -> None:
        """Stack the stored rows into the query matrices (after a bulk load)."""
        for columns in (self._about, self._talk, self._chars):
            columns.compact()

    def fit(self, docs: Sequence[CommunityDoc]) -> Self:
        """Encode and load every community of `docs`, replacing what was loaded."""
        for community_id in self.community_ids():
            self.remove(community_id)
        for doc, payload in zip(docs, self.encode_docs(docs), strict=True):
            self.put(doc.id, payload)
        self.compact()
        return self

    # --- queries -----------------------------------------------------------------------

    def encode_query(self, query: str) -> Any:
        """The query's hashed word and character counts; None when it has nothing to match.

        Reads nothing of the index, so it may run outside the caller's lock.
        """
        query = clean_query(query)
        if not query:
            return None
        words, chars = _hashers()
        return words.transform([word_features(query)]), chars.transform([query])

    def _weighted(self, encoded: Any) -> tuple[Any, Any]:
        word_idf, char_idf = reference_idf()
        q_word = self._known(encoded[0].copy(), self._word_users)
        q_chars = self._known(encoded[1].copy(), self._char_users)
        return _tfidf(q_word, word_idf), _tfidf(q_chars, char_idf)

    @staticmethod
    def _known(counts: Any, users: npt.NDArray[np.int32]) -> Any:
        keep = users[counts.indices] > 0
        if not keep.all():
            counts.data = counts.data * keep
            counts.eliminate_zeros()
        return counts

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """How well the query matches each loaded community, in load order (0 = nothing shared)."""
        encoded = self.encode_query(query)
        if encoded is None or not self._slots:
            return np.zeros(self._slots.rows, dtype=np.float32)
        return self._scores(*self._weighted(encoded))

    def _scores(self, q_word: Any, q_chars: Any) -> npt.NDArray[np.float32]:
        for columns in (self._about, self._talk, self._chars):
            if columns.pending() > OVERLAY_ROWS:
                columns.compact()
        w = self.weights
        n = self._slots.rows
        total = w.about * self._about.scores(q_word, n)
        total += w.talk * self._talk.scores(q_word, n)
        if q_word.nnz:  # characters alone ("?!") match nothing
            total += w.chars * self._chars.scores(q_chars, n)
        return total

    def rank(self, query: str, limit: int = 10) -> list[Match]:
        return self.rank_encoded(self.encode_query(query), limit)

    def rank_encoded(self, encoded: Any, limit: int = 10) -> list[Match]:
        """Score every community for an encoded query (`encode_query`); the best with reasons.

        Terms no loaded community uses are dropped before the query is
        weighted and normalised, as a vocabulary fitted on them would.
        """
        if encoded is None or not self._slots or limit <= 0:
            return []
        q_word, q_chars = self._weighted(encoded)
        scores = self._scores(q_word, q_chars)
        best = top_rows(scores, self._slots.alive(), limit)
        q_dense = dense_query(q_word, N_FEATURES) if best else None
        return [
            Match(self._slots.ids[i], round(float(scores[i]), 4), self._reason(i, q_dense))
            for i in best
        ]

    def _reason(self, i: int, q_dense: Any) -> str:
        units: list[Unit] = self._slots.units[i].all
        unit_scores = np.asarray(self._unit_words[i] @ q_dense, dtype=np.float32)
        return best_reason(units, unit_scores.tolist())
