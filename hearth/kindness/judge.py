"""The judge: does a text look hurtful enough to offer a "reconsider?" prompt?

A linear model over hashed word 1-2-grams (punctuation and the text's start
and end count as words), hashed character 2-5-grams (`char_wb`) and 1-4-grams
(`char`), hashed 1-3-grams over word classes (see `frames`) and over word
clusters (see `clusters`; the table travels in the model file), and a few hand
features (`cues.HAND_FEATURES`, `frames.FRAME_FEATURES`), all computed on
`normalize(text)`. Training fits two models and averages them (see
`training`); the average of linear models is one linear model, so judging
computes one dot product. Hashing keeps it stateless: the shipped model is
only weights and parameters in `model/judge.npz`, read with numpy without
pickle, so loading it can never run code.

The shipped judge has a second member: a fine-tuned sentence encoder
(`encoder`), whose score is averaged with the linear model's with the weight
stored in the model file (`encoder_weight`; 0 means the linear model alone).
The model file records the encoder file's SHA-256, so the pair that was
trained together is the pair that judges.

The models decide; the cues only put the decision into words and keep
threats, attacks on groups and harassment prompted between friends (see
`Judge.assess`).
A missing, corrupt or incompatible model (or encoder) raises
`JudgeUnavailable`: callers must fail loudly rather than let every text
through unjudged.
"""

from __future__ import annotations

import functools
import math
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hearth.kindness import clusters as word_clusters
from hearth.kindness import cues, frames
from hearth.kindness.encoder import Encoder, EncoderUnavailable
from hearth.kindness.normalize import VERSION as NORMALIZER_VERSION
from hearth.kindness.normalize import normalize

MODEL_PATH = Path(__file__).resolve().parent / "model" / "judge.npz"
FORMAT = "hearth-judge/4"

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
# Of a text judged in windows, the encoder reads the windows the linear
# model scores highest, this many: scoring all of them would cost about
# 0.3 s for the 6,000 characters a text is clipped to (docs/kindness.md).
ENCODER_WINDOWS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")

# The names of the hand features, in the order the model stores their weights.
HAND_FEATURES: tuple[str, ...] = (*cues.HAND_FEATURES, *frames.FRAME_FEATURES)


class JudgeUnavailable(RuntimeError):
    """The model file is missing, unreadable or was made for other code."""


@dataclass(frozen=True)
class Assessment:
    nudge: bool
    score: float
    reasons: list[str] = field(default_factory=list)


# The hashed blocks, in the order they sit in a feature row.
HASHED_BLOCKS: tuple[str, ...] = ("word", "char", "char2", "class", "cluster")


@dataclass(frozen=True)
class HashingParams:
    # Buckets of each hashed block.
    n_features: int
    char_ngram: tuple[int, int] = (2, 5)
    char2_ngram: tuple[int, int] = (1, 4)
    # Hand features are 0 or 1 (scaled by this); the hashed blocks have unit
    # length, so this sets how much a hand feature weighs against n-grams.
    hand_scale: float = 2.0

    def hasher(self) -> Any:
        """One FeatureHasher for every block (imported here: scikit-learn takes
        about a second to import, paid when the model loads). One call hashes
        all blocks of a text: scikit-learn's per-call overhead is most of the
        cost of a short text."""
        from sklearn.feature_extraction import FeatureHasher  # type: ignore[import-untyped]

        return FeatureHasher(n_features=self.n_features, input_type="string", alternate_sign=False)

    def char_analyzers(self) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
        """scikit-learn's character n-gram makers: `char_wb` and `char`."""
        from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
            HashingVectorizer,
        )

        def analyzer(kind: str, ngram: tuple[int, int]) -> Callable[[str], list[str]]:
            vectorizer = HashingVectorizer(analyzer=kind, ngram_range=ngram, lowercase=False)
            built: Callable[[str], list[str]] = vectorizer.build_analyzer()
            return built

        return analyzer("char_wb", self.char_ngram), analyzer("char", self.char2_ngram)

    def blocks(self) -> dict[str, slice]:
        """Where each block of features sits in a feature row and in the weights."""
        out: dict[str, slice] = {}
        for i, name in enumerate(HASHED_BLOCKS):
            out[name] = slice(i * self.n_features, (i + 1) * self.n_features)
        start = len(HASHED_BLOCKS) * self.n_features
        out["hand"] = slice(start, start + len(HAND_FEATURES))
        return out

    @property
    def n_weights(self) -> int:
        return len(HASHED_BLOCKS) * self.n_features + len(HAND_FEATURES)


def clip_text(text: str) -> str:
    """The part of `text` that is judged: all of it, or head and tail if enormous."""
    if len(text) <= LONG_TEXT:
        return text
    return text[:HEAD] + "\n" + text[-TAIL:]


def judged_text(text: str) -> str:
    """What the judge reads of `text`: clipped (`clip_text`), then normalised."""
    return normalize(clip_text(text))


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


def _hand(params: HashingParams, norm: str, found: set[str] | None, fr: frames.Frames) -> Any:
    return np.array([*cues.hand_features(norm, found), *fr.values]) * params.hand_scale


def _hashed_rows(
    norms: list[str],
    found: list[frames.Frames],
    analyzers: tuple[Callable[[str], list[str]], Callable[[str], list[str]]],
) -> list[list[str]]:
    """The grams of each text, one list per hashed block (HASHED_BLOCKS order)."""
    char, char2 = analyzers
    rows: list[list[str]] = []
    for norm, fr in zip(norms, found, strict=True):
        rows += [fr.word_grams, char(norm), char2(norm), fr.class_grams, fr.cluster_grams]
    return rows


def featurize(params: HashingParams, norms: list[str], clusters: Mapping[str, int]) -> Any:
    """Feature matrix (scipy CSR) for normalised texts, blocks as in `params.blocks()`.

    Each hashed block of a row has unit length (l2), like scikit-learn's
    HashingVectorizer with norm="l2"; `Judge` computes the same values.
    """
    from scipy import sparse  # type: ignore[import-untyped]
    from sklearn.preprocessing import normalize as l2  # type: ignore[import-untyped]

    found = [frames.frames(n, clusters) for n in norms]
    hashed = params.hasher().transform(_hashed_rows(norms, found, params.char_analyzers()))
    k = len(HASHED_BLOCKS)
    hand = np.array([_hand(params, n, None, f) for n, f in zip(norms, found, strict=True)])
    return sparse.hstack(
        [*(l2(hashed[i::k]) for i in range(k)), sparse.csr_matrix(hand.reshape(len(norms), -1))],
        format="csr",
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
        careful_threshold: float,
        version: str,
        data_sha256: str,
        clusters: Mapping[str, int],
        metrics_json: str = "{}",
        encoder: Encoder | None = None,
        encoder_weight: float = 0.0,
    ) -> None:
        expected = params.n_weights
        if coef.shape != (expected,):
            raise JudgeUnavailable(f"judge model has {coef.shape} weights, expected ({expected},)")
        if (encoder is None) != (encoder_weight == 0.0) or not 0.0 <= encoder_weight <= 1.0:
            raise JudgeUnavailable(
                f"judge encoder weight {encoder_weight} does not fit "
                f"{'no encoder' if encoder is None else 'an encoder'}"
            )
        self.params = params
        self.coef = coef
        self.intercept = intercept
        self.threshold = threshold
        self.friends_threshold = friends_threshold
        self.careful_threshold = careful_threshold
        self.version = version
        self.data_sha256 = data_sha256
        self.clusters = clusters
        self.metrics_json = metrics_json
        self.encoder = encoder
        self.encoder_weight = encoder_weight
        self._hasher = params.hasher()
        self._analyzers = params.char_analyzers()
        blocks = params.blocks()
        # Row i of a text's hashed rows is dotted with row i of this.
        self._coef_hashed = np.stack([coef[blocks[name]] for name in HASHED_BLOCKS]).astype(
            np.float64
        )
        self._coef_hand = coef[blocks["hand"]].astype(np.float64)

    @classmethod
    def load(cls, path: Path | str | None = None, *, encoder_path: Path | None = None) -> Judge:
        """Read a model written by `save()`, and its encoder (by default the shipped one).

        Raises JudgeUnavailable, naming the file and what is wrong, when it is
        missing, not a readable .npz, lacks a field, or was written for another
        format, normaliser or feature set; or when its encoder is missing,
        unreadable or not the file it was trained with.
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
            if hand != list(HAND_FEATURES):
                raise JudgeUnavailable(
                    f"judge model at {path} was trained with other hand features; {retrain}"
                )
            char_ngram = tuple(int(n) for n in data["char_ngram"])
            char2_ngram = tuple(int(n) for n in data["char2_ngram"])
            params = HashingParams(
                n_features=int(data["n_features"]),
                char_ngram=(char_ngram[0], char_ngram[1]),
                char2_ngram=(char2_ngram[0], char2_ngram[1]),
                hand_scale=float(data["hand_scale"]),
            )
            coef = np.asarray(data["coef"], dtype=np.float32)
            threshold = float(data["threshold"])
            friends_threshold = float(data["friends_threshold"])
            careful_threshold = float(data["careful_threshold"])
            encoder_weight = float(data["encoder_weight"])
            encoder_sha256 = str(data["encoder_sha256"])
            if not 0.0 <= encoder_weight <= 1.0:
                raise ValueError(f"encoder weight {encoder_weight} outside [0, 1]")
            encoder = None
            if encoder_weight > 0.0:
                encoder = Encoder.load(encoder_path, sha256=encoder_sha256)
            judge = cls(
                params=params,
                coef=coef,
                intercept=float(data["intercept"]),
                threshold=threshold,
                friends_threshold=friends_threshold,
                careful_threshold=careful_threshold,
                version=str(data["version"]),
                data_sha256=str(data["data_sha256"]),
                clusters=word_clusters.from_arrays(data["cluster_words"], data["cluster_ids"]),
                metrics_json=str(data["metrics_json"]),
                encoder=encoder,
                encoder_weight=encoder_weight,
            )
        except EncoderUnavailable as exc:
            raise JudgeUnavailable(
                f"{exc}; the judge model at {path} needs it: retrain both with "
                "`hearth train-judge --encoder`, or reinstall Hearth"
            ) from exc
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
            and 0.0 < careful_threshold <= threshold <= friends_threshold <= 1.0
            and math.isfinite(params.hand_scale)
            and params.hand_scale > 0.0
        ):
            raise JudgeUnavailable(f"judge model at {path} has invalid weights; {retrain}")
        return judge

    def without_encoder(self) -> Judge:
        """This judge's linear model alone, for comparisons (benchmarks, reports).

        It keeps the pair's thresholds, which were not chosen for the linear
        model's scores: compare the two at matched false-alarm rates, not by
        `nudge`.
        """
        return Judge(
            params=self.params,
            coef=self.coef,
            intercept=self.intercept,
            threshold=self.threshold,
            friends_threshold=self.friends_threshold,
            careful_threshold=self.careful_threshold,
            version=self.version,
            data_sha256=self.data_sha256,
            clusters=self.clusters,
            metrics_json=self.metrics_json,
        )

    def save(self, path: Path | str) -> None:
        """Write the model as a compressed .npz of plain arrays (no pickled objects).

        Written to a temporary file beside `path` and renamed over it, so a
        process loading the model meanwhile sees the old file or the new one,
        never half of one.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                self._write(fh)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def _write(self, fh: Any) -> None:
        cluster_words, cluster_ids = word_clusters.as_arrays(self.clusters)
        np.savez_compressed(
            fh,
            format=np.array(FORMAT),
            version=np.array(self.version),
            normalizer_version=np.array(NORMALIZER_VERSION),
            data_sha256=np.array(self.data_sha256),
            n_features=np.array(self.params.n_features),
            char_ngram=np.array(self.params.char_ngram),
            char2_ngram=np.array(self.params.char2_ngram),
            hand_scale=np.array(self.params.hand_scale),
            hand_features=np.array(HAND_FEATURES),
            coef=self.coef.astype(np.float32),
            intercept=np.array(self.intercept),
            threshold=np.array(self.threshold),
            friends_threshold=np.array(self.friends_threshold),
            careful_threshold=np.array(self.careful_threshold),
            metrics_json=np.array(self.metrics_json),
            encoder_weight=np.array(self.encoder_weight),
            encoder_sha256=np.array(self.encoder.sha256 if self.encoder else ""),
            cluster_words=cluster_words,
            cluster_ids=cluster_ids,
        )

    def score_normalized(self, norm: str, found: set[str]) -> float:
        """Probability-like score in [0, 1] for one normalised text."""
        return self._scores([norm], [found])[0]

    def _scores(self, norms: list[str], found: list[set[str]]) -> list[float]:
        fr = [frames.frames(n, self.clusters) for n in norms]
        hand = np.array(
            [_hand(self.params, n, f, g) for n, f, g in zip(norms, found, fr, strict=True)]
        )
        # One hasher call for every block of every piece; then each row's l2
        # length and dot product with its block's weights, as in `featurize`.
        x = self._hasher.transform(_hashed_rows(norms, fr, self._analyzers))
        row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        k = len(HASHED_BLOCKS)
        dots = np.bincount(
            row, weights=x.data * self._coef_hashed[row % k, x.indices], minlength=x.shape[0]
        )
        lengths = np.sqrt(np.bincount(row, weights=x.data * x.data, minlength=x.shape[0]))
        hashed = np.divide(dots, lengths, out=np.zeros_like(dots), where=lengths > 0)
        z = self.intercept + hashed.reshape(len(norms), k).sum(axis=1) + hand @ self._coef_hand
        z = np.clip(z, -30.0, 30.0)
        return [float(v) for v in 1.0 / (1.0 + np.exp(-z))]

    def assess(self, text: str, *, friends: bool = False) -> Assessment:
        """Judge one text.

        The linear model scores each window (see WHOLE) and the highest
        counts; the encoder, when there is one, scores the whole text in its
        own chunks (a text judged in windows: the ENCODER_WINDOWS windows
        the linear model scores highest), and the two scores are averaged.

        `friends=True` (people who follow each other and have replied to each
        other) raises the threshold, so profanity and banter between them pass,
        unless a threat, an attack on a group (or slur) or harassment is
        present anywhere in the text: then the normal threshold applies.
        Empty text is never prompted. Never raises for any string input.
        """
        norm = judged_text(text)
        if not norm:
            return Assessment(nudge=False, score=0.0, reasons=[])
        pieces = windows(norm)
        piece_cues = [cues.detect(piece) for piece in pieces]
        scores = self._scores(pieces, piece_cues)
        best = max(range(len(pieces)), key=scores.__getitem__)
        score, found = scores[best], piece_cues[best]
        if self.encoder is not None:
            if len(pieces) == 1:
                read = [norm]
            else:
                top = sorted(range(len(pieces)), key=scores.__getitem__, reverse=True)
                read = [pieces[i] for i in top[:ENCODER_WINDOWS]]
            w = self.encoder_weight
            score = w * self.encoder.score_max(read) + (1.0 - w) * score
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
