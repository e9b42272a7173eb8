"""Train the judge: `hearth train-judge`.

Trains two Naive-Bayes-scaled logistic regressions on `data/judge.csv` (see
`MEMBERS`) and averages them into one linear model; joins it with the
fine-tuned encoder (`encoder`, trained by `encoder_training`, which needs the
`ml` extra) at ENCODER_WEIGHT; picks the prompt threshold from out-of-fold
scores on the training data (grouped cross-validation, so instances of one
template never sit on both sides of a fold: the linear model's from all five
folds, or, with the encoder, the pair's on the fold the encoder's first run
left out, `encoder.FOLD_SCORES_PATH`); evaluates on the held-out
`data/judge_test.csv`, and writes `model/judge.npz`.

The linear half is deterministic: the same data gives the same weights,
threshold and figures. No Django here; this runs before (or without) Django
set-up.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hearth.kindness import clusters as word_clusters
from hearth.kindness import encoder as encoder_runtime
from hearth.kindness.judge import HAND_FEATURES, MODEL_PATH, HashingParams, Judge, featurize
from hearth.kindness.normalize import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_PATH = DATA_DIR / "judge.csv"
TEST_PATH = DATA_DIR / "judge_test.csv"

PARAMS = HashingParams(n_features=2**18)
# The two models averaged into the judge, each over some blocks of features
# (`HashingParams.blocks`), with its weight in the average: one over words,
# word classes and character 2-5-grams within words, one over character
# 1-4-grams across word boundaries. Both see the hand features. Averaging two
# models fitted apart was better by cross-validation (recall 0.79 -> 0.82 at
# 4% false alarms) than one model over all the blocks, whose many extra
# features dilute the hand features' weights.
MEMBERS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("word", "char", "class", "cluster", "hand"), 2.0),
    (("char2", "hand"), 1.0),
)
# Inverse regularisation strength and Naive Bayes smoothing; chosen by grouped
# cross-validation on the training data (recall at 4% out-of-fold false alarms).
C = 30.0
NB_ALPHA = 0.25
FOLDS = 5
# The threshold is the lowest one whose out-of-fold false-alarm rate stays
# within this, leaving room under the 5% target for texts unlike the training set.
TARGET_FAR = 0.04
# Between friends the threshold rises to this: only a text the model is
# nearly certain about is prompted, unless it carries a threat, a slur or an
# attack on a group, or reads as harassment (see cues.SEVERE).
FRIENDS_THRESHOLD = 0.99
# Replies to someone asking for support are judged at a lower threshold:
# the one with this out-of-fold false-alarm rate (services.SUPPORT_CONTEXT).
# Half as many false alarms again as the normal threshold's, no more: most
# replies there are kind, and a prompt on a kind reply to someone in a hard
# time discourages exactly the people Hearth wants to reply.
CAREFUL_FAR = 0.06
# The encoder's weight in the average with the linear model: chosen on the
# encoder's left-out fold (recall at 4% false alarms, weights 0.3, 0.5 and
# 0.7; bench/judge_encoder.py and docs/kindness.md).
ENCODER_WEIGHT = 0.5


class TrainingError(RuntimeError):
    """The data cannot be read or trained on."""


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    labels: np.ndarray[Any, np.dtype[np.int64]]
    categories: list[str]
    groups: list[str]


def load_csv(path: Path) -> Dataset:
    """Read a text,label,category[,group] CSV; raise TrainingError when unusable."""
    if not path.is_file():
        raise TrainingError(f"data file not found: {path}")
    texts: list[str] = []
    labels: list[int] = []
    categories: list[str] = []
    groups: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "label", "category"} - set(reader.fieldnames or ())
        if missing:
            raise TrainingError(f"{path}: missing columns {sorted(missing)}")
        for n, row in enumerate(reader, start=2):
            if row["label"] not in ("0", "1"):
                raise TrainingError(f"{path}:{n}: label must be 0 or 1, not {row['label']!r}")
            texts.append(row["text"])
            labels.append(int(row["label"]))
            categories.append(row["category"])
            groups.append(row.get("group") or f"row{n}")
    if len(set(labels)) < 2:
        raise TrainingError(f"{path}: needs examples of both labels")
    return Dataset(texts, np.array(labels, dtype=np.int64), categories, groups)


def _nb_ratios(x: Any, y: np.ndarray[Any, np.dtype[np.int64]]) -> np.ndarray[Any, Any]:
    """Naive Bayes log-count ratios per feature (Wang & Manning 2012, "NBSVM").

    Scaling features by them before the logistic regression helps on small
    text sets; the scaling is folded into the stored weights, so judging
    needs nothing extra.
    """
    present = (x > 0).astype(np.float64)
    p = NB_ALPHA + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = NB_ALPHA + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratios: np.ndarray[Any, Any] = np.log((p / p.sum()) / (q / q.sum()))
    return ratios


def _fit_one(x: Any, y: np.ndarray[Any, np.dtype[np.int64]]) -> tuple[np.ndarray[Any, Any], float]:
    """Weights and intercept of an NB-scaled logistic regression on (x, y)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    ratios = _nb_ratios(x, y)
    # The primal problem, solved by liblinear's trust-region Newton method:
    # deterministic (no shuffling), and in tens of iterations where the dual
    # coordinate descent took thousands on the character member at this C
    # (25,876 texts: 33 s a fit instead of several minutes; docs/kindness.md).
    model = LogisticRegression(
        C=C,
        class_weight="balanced",
        solver="liblinear",
        dual=False,
        max_iter=1_000,
    )
    model.fit(x.multiply(ratios).tocsr(), y)
    coef: np.ndarray[Any, Any] = model.coef_[0] * ratios
    return coef, float(model.intercept_[0])


def _fit(x: Any, y: np.ndarray[Any, np.dtype[np.int64]]) -> tuple[np.ndarray[Any, Any], float]:
    """Weights and intercept of the weighted average of the `MEMBERS` models."""
    blocks = PARAMS.blocks()
    coef = np.zeros(x.shape[1])
    intercept = 0.0
    total = sum(weight for _, weight in MEMBERS)
    for names, weight in MEMBERS:
        columns = np.concatenate([np.arange(x.shape[1])[blocks[name]] for name in names])
        member_coef, member_intercept = _fit_one(x[:, columns], y)
        coef[columns] += member_coef * (weight / total)
        intercept += member_intercept * (weight / total)
    return coef, intercept


def _predict(coef: np.ndarray[Any, Any], intercept: float, x: Any) -> np.ndarray[Any, Any]:
    z = np.clip(x @ coef + intercept, -30.0, 30.0)
    scores: np.ndarray[Any, Any] = 1.0 / (1.0 + np.exp(-z))
    return scores


def _rates(
    y: np.ndarray[Any, np.dtype[np.int64]], nudged: np.ndarray[Any, np.dtype[np.bool_]]
) -> dict[str, float]:
    tp = int((nudged & (y == 1)).sum())
    fp = int((nudged & (y == 0)).sum())
    pos = int((y == 1).sum())
    neg = int((y == 0).sum())
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / pos if pos else 1.0,
        "false_alarm_rate": fp / neg if neg else 0.0,
    }


def pick_threshold(
    y: np.ndarray[Any, np.dtype[np.int64]],
    scores: np.ndarray[Any, np.dtype[np.float64]],
    far: float = TARGET_FAR,
) -> float:
    """The lowest threshold whose false-alarm rate on (y, scores) is <= `far`."""
    negatives = np.sort(scores[y == 0])[::-1]
    allowed = int(np.floor(far * len(negatives)))
    # Nudge when score >= threshold: put it just above the (allowed+1)-th
    # highest negative score, so at most `allowed` negatives are nudged.
    if allowed >= len(negatives):
        return 0.5
    cut = float(negatives[allowed])
    return float(min(max(np.nextafter(cut, 1.0), 0.05), 0.95))


def evaluate(judge: Judge, data: Dataset) -> dict[str, Any]:
    """Precision, recall, false-alarm rate and per-category rates of `judge` on `data`."""
    nudged = np.array([judge.assess(t).nudge for t in data.texts], dtype=np.bool_)
    result: dict[str, Any] = {"examples": len(data.texts), **_rates(data.labels, nudged)}
    per: dict[str, dict[str, Any]] = {}
    for category in sorted(set(data.categories)):
        mask = np.array([c == category for c in data.categories])
        label = int(data.labels[mask][0])
        share = float(nudged[mask].mean())
        per[category] = {
            "label": label,
            "examples": int(mask.sum()),
            # For hurtful categories the share prompted is recall; for the
            # others it is the false-alarm rate.
            "nudged": round(share, 4),
        }
    result["per_category"] = per
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class EncoderFold:
    """The encoder's scores on the fold its first run left out (`encoder_training`)."""

    fold: int
    idx: np.ndarray[Any, np.dtype[np.int64]]
    scores: np.ndarray[Any, np.dtype[np.float64]]


def encoder_fold(path: Path, data_sha256: str, encoder_sha256: str, n_texts: int) -> EncoderFold:
    """Read the encoder's fold scores; TrainingError unless they were made for this
    data, in the same run as this encoder."""
    again = "retrain the encoder with `hearth train-judge --encoder` (needs the ml extra)"
    if not path.is_file():
        raise TrainingError(f"the encoder's fold scores are not at {path}; {again}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            fold = EncoderFold(int(npz["fold"]), npz["idx"], npz["scores"])
            made_for = str(npz["data_sha256"])
            made_with = str(npz["encoder_sha256"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise TrainingError(f"the encoder's fold scores at {path} are unreadable ({exc})") from exc
    if made_for != data_sha256:
        raise TrainingError(f"the encoder at {path.parent} was trained on other data; {again}")
    if made_with != encoder_sha256:
        raise TrainingError(
            f"the encoder's fold scores at {path} belong to another encoder file; {again}"
        )
    if fold.idx.shape != fold.scores.shape or (len(fold.idx) and fold.idx.max() >= n_texts):
        raise TrainingError(f"the encoder's fold scores at {path} are malformed; {again}")
    return fold


def train(
    data_path: Path | str = DATA_PATH,
    out_path: Path | str = MODEL_PATH,
    *,
    test_path: Path | str | None = None,
    clusters_path: Path = word_clusters.TABLE_PATH,
    with_encoder: bool = True,
    encoder_path: Path = encoder_runtime.ENCODER_PATH,
    fold_scores_path: Path = encoder_runtime.FOLD_SCORES_PATH,
) -> dict[str, Any]:
    """Train on `data_path`, write the model to `out_path`, return the metrics.

    The held-out set is `test_path`, by default judge_test.csv beside the
    data. With `with_encoder`, the encoder at `encoder_path` joins the
    linear model; its fold scores (`fold_scores_path`) must have been made
    for this data. Raises TrainingError when a file is missing or malformed.
    """
    from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

    data_path = Path(data_path)
    test_file = Path(test_path) if test_path is not None else data_path.with_name(TEST_PATH.name)
    started = time.perf_counter()
    data = load_csv(data_path)
    test = load_csv(test_file)
    try:
        table = word_clusters.read_table(clusters_path)
    except word_clusters.ClusterTableError as exc:
        raise TrainingError(str(exc)) from exc
    sha = sha256(data_path)
    fold = encoder = None
    if with_encoder:
        try:
            encoder = encoder_runtime.Encoder.load(encoder_path)
        except encoder_runtime.EncoderUnavailable as exc:
            raise TrainingError(str(exc)) from exc
        fold = encoder_fold(fold_scores_path, sha, encoder.sha256, len(data.texts))
    x = featurize(PARAMS, [normalize(t) for t in data.texts], table)
    y = data.labels

    oof = np.zeros(len(y))
    splits = list(GroupKFold(n_splits=FOLDS).split(x, y, groups=data.groups))
    for fit_idx, held_idx in splits:
        coef, intercept = _fit(x[fit_idx], y[fit_idx])
        oof[held_idx] = _predict(coef, intercept, x[held_idx])
    weight = 0.0
    # The out-of-fold scores the thresholds are chosen on: the linear
    # model's on every text, or the pair's on the encoder's left-out fold.
    chosen_on, scores = np.arange(len(y)), oof
    if fold is not None:
        if not np.array_equal(np.sort(fold.idx), np.sort(splits[fold.fold][1])):
            raise TrainingError("the encoder's fold is not this data's fold; retrain the encoder")
        weight = ENCODER_WEIGHT
        chosen_on = fold.idx
        scores = weight * fold.scores + (1.0 - weight) * oof[fold.idx]
    threshold = pick_threshold(y[chosen_on], scores)
    careful = min(pick_threshold(y[chosen_on], scores, CAREFUL_FAR), threshold)
    cv = _rates(y[chosen_on], scores >= threshold)

    coef, intercept = _fit(x, y)
    judge = Judge(
        params=PARAMS,
        coef=coef.astype(np.float32),
        intercept=intercept,
        threshold=threshold,
        friends_threshold=max(FRIENDS_THRESHOLD, threshold),
        careful_threshold=careful,
        version=f"{cues_version()}+{sha[:12]}",
        data_sha256=sha,
        clusters=table,
        encoder=encoder,
        encoder_weight=weight,
    )
    metrics: dict[str, Any] = {
        "version": judge.version,
        "data_sha256": sha,
        "train_examples": len(y),
        "train_hurtful": int(y.sum()),
        "threshold": round(threshold, 6),
        "friends_threshold": round(judge.friends_threshold, 6),
        "careful_threshold": round(careful, 6),
        "encoder_weight": weight,
        "encoder_sha256": encoder.sha256 if encoder else "",
        "cross_validation": {k: round(v, 4) for k, v in cv.items()},
        "test": evaluate(judge, test),
    }
    for key in ("precision", "recall", "false_alarm_rate"):
        metrics["test"][key] = round(metrics["test"][key], 4)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    stored = {k: v for k, v in metrics.items() if k != "seconds"}
    judge = Judge(
        params=PARAMS,
        coef=judge.coef,
        intercept=judge.intercept,
        threshold=judge.threshold,
        friends_threshold=judge.friends_threshold,
        careful_threshold=careful,
        version=judge.version,
        data_sha256=sha,
        clusters=table,
        metrics_json=json.dumps(stored, sort_keys=True),
        encoder=encoder,
        encoder_weight=weight,
    )
    judge.save(out_path)
    return metrics


def cues_version() -> str:
    """Model version prefix: the file format and the feature set it was trained with."""
    return f"judge4-h{len(HAND_FEATURES)}"


def format_metrics(metrics: dict[str, Any]) -> str:
    test = metrics["test"]
    lines = [
        f"trained on {metrics['train_examples']} examples "
        f"({metrics['train_hurtful']} hurtful) in {metrics.get('seconds', '?')} s",
        (
            f"with the encoder at weight {metrics['encoder_weight']}"
            if metrics["encoder_weight"]
            else "the linear model alone, without the encoder"
        ),
        f"threshold {metrics['threshold']:.3f} (friends {metrics['friends_threshold']:.3f},"
        f" careful {metrics['careful_threshold']:.3f}); "
        f"cross-validation: recall {metrics['cross_validation']['recall']:.3f}, "
        f"false alarms {metrics['cross_validation']['false_alarm_rate']:.3f}",
        f"held-out ({test['examples']} examples): precision {test['precision']:.3f}, "
        f"recall {test['recall']:.3f}, false-alarm rate {test['false_alarm_rate']:.3f}",
    ]
    counts = Counter(v["label"] for v in test["per_category"].values())
    if counts:
        lines.append("per category (share prompted):")
    for name, row in test["per_category"].items():
        kind = "recall" if row["label"] else "false alarms"
        lines.append(f"  {name:18} {kind:12} {row['nudged']:.3f}  (n={row['examples']})")
    return "\n".join(lines)


def main_train(argv: list[str]) -> int:
    """`hearth train-judge [--data CSV] [--test CSV] [--out NPZ] [--json] [--word-clusters]
    [--encoder | --without-encoder]`."""
    parser = argparse.ArgumentParser(
        prog="hearth train-judge", description="Train the reconsider-prompt judge."
    )
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="training CSV")
    parser.add_argument("--test", type=Path, default=None, help="held-out CSV")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument(
        "--word-clusters",
        action="store_true",
        help="first rebuild the word cluster table from the training CSV (needs the ml extra)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--encoder",
        action="store_true",
        help="first fine-tune the encoder on the training CSV (needs the ml extra; "
        "an hour or more on two cores)",
    )
    which.add_argument(
        "--without-encoder",
        action="store_true",
        help="train the linear model alone (weaker; see docs/kindness.md)",
    )
    args = parser.parse_args(argv)
    if args.word_clusters and (status := word_clusters.main_build(args.data)):
        return status
    try:
        if args.encoder:
            from hearth.kindness.encoder_training import train_encoder

            train_encoder(args.data)
        metrics = train(
            args.data, args.out, test_path=args.test, with_encoder=not args.without_encoder
        )
    except TrainingError as exc:
        print(f"hearth train-judge: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(metrics, indent=2, sort_keys=True))
    else:
        print(format_metrics(metrics))
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main_train(sys.argv[1:]))
