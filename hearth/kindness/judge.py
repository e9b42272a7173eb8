"""The judge: does a text look hurtful enough to offer a "reconsider?" prompt?

A linear model over hashed word 1-2-grams, hashed character 2-5-grams
(`char_wb`) and a few hand features (see `cues.HAND_FEATURES`), all computed
on `normalize(text)`. Hashing keeps it stateless: the shipped model is only
weights and parameters in `model/judge.npz`, read with numpy without pickle,
so loading it can never run code.

The model decides; the cues only put the decision into words and keep
threats, attacks on groups and harassment prompted between friends (see
`Judge.assess`).
A missing, corrupt or incompatible model raises `JudgeUnavailable`: callers
must fail loudly rather than let every text through unjudged.
"""

from __future__ import annotations

import functools
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hearth.kindness import cues
from hearth.kindness.normalize import VERSION as NORMALIZER_VERSION
from hearth.kindness.normalize import normalize

MODEL_PATH = Path(__file__).resolve().parent / "model" / "judge.npz"
FORMAT = "hearth-judge/1"

# A text longer than HEAD + TAIL characters is judged on its first HEAD and
# last TAIL characters only, so an enormous post costs no more than a long
# one (about 22 ms, against under 1 ms for a typical post).
HEAD = 5_000
TAIL = 1_000
LONG_TEXT = HEAD + TAIL
# A text longer than WHOLE characters is judged in windows of at most WINDOW
# characters, cut at sentence ends, and the highest-scoring window counts:
# one insult inside a long, friendly post would otherwise be diluted by
# everything around it. Typical posts are shorter and judged whole.
WHOLE = 600
WINDOW = 300
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")

# Word tokens of one character count ("u", "i"), unlike scikit-learn's default.
WORD_PATTERN = r"(?u)\b\w+\b"


class JudgeUnavailable(RuntimeError):
    """The model file is missing, unreadable or was made for other code."""


@dataclass(frozen=True)
class Assessment:
    nudge: bool
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HashingParams:
    word_n_features: int
    char_n_features: int
    word_ngram: tuple[int, int] = (1, 2)
    char_ngram: tuple[int, int] = (2, 5)

    def vectorizers(self) -> tuple[Any, Any]:
        """The word and character HashingVectorizers (imported here: scikit-learn
        takes about a second to import, paid when the model loads)."""
        from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
            HashingVectorizer,
        )

        word = HashingVectorizer(
            analyzer="word",
            ngram_range=self.word_ngram,
            n_features=self.word_n_features,
            token_pattern=WORD_PATTERN,
            lowercase=False,
            alternate_sign=False,
            norm="l2",
        )
        char = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=self.char_ngram,
            n_features=self.char_n_features,
            lowercase=False,
            alternate_sign=False,
            norm="l2",
        )
        return word, char


def clip_text(text: str) -> str:
    """The part of `text` that is judged: all of it, or head and tail if enormous."""
    if len(text) <= LONG_TEXT:
        return text
    return text[:HEAD] + "\n" + text[-TAIL:]


def windows(norm: str) -> list[str]:
    """The pieces of normalised text judged separately (see WHOLE and WINDOW)."""
    if len(norm) <= WHOLE:
        return [norm]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(norm):
        while len(sentence) > WINDOW:
            # A run-on "sentence": cut at the last space inside the window.
            cut = sentence.rfind(" ", 0, WINDOW)
            cut = cut if cut > 0 else WINDOW
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if current and len(current) + 1 + len(sentence) > WINDOW:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces


def featurize(params: HashingParams, norms: list[str]) -> Any:
    """Feature matrix (scipy CSR) for normalised texts: word, char, hand features."""
    from scipy import sparse  # type: ignore[import-untyped]

    word, char = params.vectorizers()
    hand = np.array([cues.hand_features(n) for n in norms], dtype=np.float64)
    return sparse.hstack(
        [word.transform(norms), char.transform(norms), sparse.csr_matrix(hand)], format="csr"
    )


class Judge:
    """A loaded model. Thread-safe: nothing changes after `load()`."""

    def __init__(
        self,
        *,
        params: HashingParams,
        coef: np.ndarray[Any, np.dtype[np.float32]],
        intercept: float,
        threshold: float,
        friends_threshold: float,
        version: str,
        data_sha256: str,
        metrics_json: str = "{}",
    ) -> None:
        expected = params.word_n_features + params.char_n_features + len(cues.HAND_FEATURES)
        if coef.shape != (expected,):
            raise JudgeUnavailable(f"judge model has {coef.shape} weights, expected ({expected},)")
        self.params = params
        self.coef = coef
        self.intercept = intercept
        self.threshold = threshold
        self.friends_threshold = friends_threshold
        self.version = version
        self.data_sha256 = data_sha256
        self.metrics_json = metrics_json
        self._word, self._char = params.vectorizers()
        w = params.word_n_features
        self._coef_word = coef[:w]
        self._coef_char = coef[w : w + params.char_n_features]
        self._coef_hand = coef[w + params.char_n_features :].astype(np.float64)

    @classmethod
    def load(cls, path: Path | str | None = None) -> Judge:
        """Read a model written by `save()`.

        Raises JudgeUnavailable, naming the file and what is wrong, when it is
        missing, not a readable .npz, lacks a field, or was written for another
        format, normaliser or feature set.
        """
        path = Path(path) if path is not None else MODEL_PATH
        retrain = "retrain it with `hearth train-judge`"
        if not path.is_file():
            raise JudgeUnavailable(f"judge model not found at {path}; {retrain}")
        try:
            with np.load(path, allow_pickle=False) as npz:
                data = {key: npz[key] for key in npz.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise JudgeUnavailable(
                f"judge model at {path} is corrupt or unreadable ({exc}); {retrain}"
            ) from exc
        try:
            fmt = str(data["format"])
            if fmt != FORMAT:
                raise JudgeUnavailable(
                    f"judge model at {path} has format {fmt!r}, this code reads {FORMAT!r}; "
                    f"{retrain}"
                )
            if int(data["normalizer_version"]) != NORMALIZER_VERSION:
                raise JudgeUnavailable(
                    f"judge model at {path} was trained with text normaliser "
                    f"v{int(data['normalizer_version'])}, this code has v{NORMALIZER_VERSION}; "
                    f"{retrain}"
                )
            hand = [str(name) for name in data["hand_features"]]
            if hand != list(cues.HAND_FEATURES):
                raise JudgeUnavailable(
                    f"judge model at {path} was trained with other hand features; {retrain}"
                )
            word_ngram = tuple(int(n) for n in data["word_ngram"])
            char_ngram = tuple(int(n) for n in data["char_ngram"])
            params = HashingParams(
                word_n_features=int(data["word_n_features"]),
                char_n_features=int(data["char_n_features"]),
                word_ngram=(word_ngram[0], word_ngram[1]),
                char_ngram=(char_ngram[0], char_ngram[1]),
            )
            coef = np.asarray(data["coef"], dtype=np.float32)
            threshold = float(data["threshold"])
            friends_threshold = float(data["friends_threshold"])
            judge = cls(
                params=params,
                coef=coef,
                intercept=float(data["intercept"]),
                threshold=threshold,
                friends_threshold=friends_threshold,
                version=str(data["version"]),
                data_sha256=str(data["data_sha256"]),
                metrics_json=str(data["metrics_json"]),
            )
        except KeyError as exc:
            raise JudgeUnavailable(
                f"judge model at {path} lacks the field {exc}; {retrain}"
            ) from exc
        except (TypeError, ValueError, IndexError) as exc:
            raise JudgeUnavailable(
                f"judge model at {path} is malformed ({exc}); {retrain}"
            ) from exc
        if not (
            np.isfinite(coef).all()
            and math.isfinite(judge.intercept)
            and 0.0 < threshold <= friends_threshold <= 1.0
        ):
            raise JudgeUnavailable(f"judge model at {path} has invalid weights; {retrain}")
        return judge

    def save(self, path: Path | str) -> None:
        """Write the model as a compressed .npz of plain arrays (no pickled objects)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                format=np.array(FORMAT),
                version=np.array(self.version),
                normalizer_version=np.array(NORMALIZER_VERSION),
                data_sha256=np.array(self.data_sha256),
                word_n_features=np.array(self.params.word_n_features),
                char_n_features=np.array(self.params.char_n_features),
                word_ngram=np.array(self.params.word_ngram),
                char_ngram=np.array(self.params.char_ngram),
                hand_features=np.array(cues.HAND_FEATURES),
                coef=self.coef.astype(np.float32),
                intercept=np.array(self.intercept),
                threshold=np.array(self.threshold),
                friends_threshold=np.array(self.friends_threshold),
                metrics_json=np.array(self.metrics_json),
            )

    def score_normalized(self, norm: str, found: set[str]) -> float:
        """Probability-like score in [0, 1] for one normalised text."""
        return self._scores([norm], [found])[0]

    def _scores(self, norms: list[str], found: list[set[str]]) -> list[float]:
        # One vectorizer call for all pieces: scikit-learn's per-call overhead
        # is most of the cost of a short text.
        hand = np.array(
            [cues.hand_features(n, f) for n, f in zip(norms, found, strict=True)],
            dtype=np.float64,
        )
        z = (
            self.intercept
            + self._word.transform(norms) @ self._coef_word
            + self._char.transform(norms) @ self._coef_char
            + hand @ self._coef_hand
        )
        z = np.clip(z, -30.0, 30.0)
        return [float(v) for v in 1.0 / (1.0 + np.exp(-z))]

    def assess(self, text: str, *, friends: bool = False) -> Assessment:
        """Judge one text.

        `friends=True` (people who follow each other and have replied to each
        other) raises the threshold, so profanity and banter between them pass,
        unless a threat, an attack on a group (or slur) or harassment is
        present anywhere in the text: then the normal threshold applies.
        Empty text is never prompted. Never raises for any string input.
        """
        norm = normalize(clip_text(text))
        if not norm:
            return Assessment(nudge=False, score=0.0, reasons=[])
        pieces = windows(norm)
        piece_cues = [cues.detect(piece) for piece in pieces]
        scores = self._scores(pieces, piece_cues)
        best = max(range(len(pieces)), key=scores.__getitem__)
        score, found = scores[best], piece_cues[best]
        threshold = self.threshold
        if friends and not any(c & cues.SEVERE for c in piece_cues):
            threshold = self.friends_threshold
        if score < threshold:
            return Assessment(nudge=False, score=score, reasons=[])
        return Assessment(nudge=True, score=score, reasons=cues.reasons(found))


@functools.lru_cache(maxsize=1)
def get_judge() -> Judge:
    """The shipped judge, loaded once per process; raises JudgeUnavailable."""
    return Judge.load()
