"""The judge's encoder: how much it adds to the linear n-gram model, measured.

The judge is two models averaged (docs/kindness.md): a linear model over
word and character n-grams, word clusters and hand features
(`hearth.kindness.training`), and the `ml` extra's MiniLM fine-tuned on the
judge's training split with mean pooling and one logistic output
(`hearth.kindness.encoder_training`, the recipe `hearth train-judge
--encoder` ships). This runs the same recipe into a results folder and
compares, on the held-out split, the linear model alone, the encoder alone
and their average at several weights; that is how the encoder's weight and
size (`--layers`) were chosen.

Steps, each using bench/results/judge_encoder-L<layers>[-fold<K>][-<tag>]/:

    .venv/bin/python -m bench.judge_encoder train --layers 6            # about 40 min on 2 cores
    .venv/bin/python -m bench.judge_encoder train --layers 6 --fold 0   # trains on folds 1-4 only
    .venv/bin/python -m bench.judge_encoder report --layers 6 [--fold 0]
    .venv/bin/python -m bench.judge_encoder export --layers 6 [--fold 0]

`train` (needs the `ml` extra) fine-tunes, then scores the held-out split
(data/judge_test.csv) with the PyTorch model and, with `--fold K`, the
training split's grouped fold K (the `GroupKFold` split `hearth
train-judge` uses), which it leaves out of training. `--data PATH --tag
NAME` trains on another CSV of the same columns.

`report` prints recall at matched false-alarm rates on the held-out split
and ROC AUC, for the linear model, the encoder, and their average at
weights 0.3, 0.5 and 0.7. With `--fold K` it also chooses as `hearth
train-judge` does, without looking at the held-out split: the linear model
is trained on the same four folds, the threshold (4% false alarms,
`training.pick_threshold`) is chosen on fold K for each weight, and the
held-out recall and false-alarm rate at that choice are reported (with the
encoder trained on all of the training split when that run exists).

`export` writes the run as the shipped format (`encoder_training.export`:
int8 ONNX with its tokenizer inside) and scores the held-out split (and
fold K) with it, through `encoder.Encoder` as the judge does, so the cost
of quantising shows. `python -m hearth.kindness.benchmark` times the judge.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from hearth.kindness import clusters as word_clusters
from hearth.kindness import encoder_training, training
from hearth.kindness.encoder import Encoder
from hearth.kindness.judge import Judge, featurize, judged_text
from hearth.kindness.normalize import normalize

RESULTS = Path(__file__).resolve().parent / "results"
FARS = (0.028, 0.032, 0.04, 0.05)
WEIGHTS = (0.3, 0.5, 0.7)


def _dir(layers: int, fold: int | None, tag: str = "") -> Path:
    """A run's results folder; `train` makes it, the other steps need it."""
    name = f"judge_encoder-L{layers}" + ("" if fold is None else f"-fold{fold}")
    return RESULTS / (name + (f"-{tag}" if tag else ""))


def _run(layers: int, fold: int | None, tag: str) -> Path:
    path = _dir(layers, fold, tag)
    if not (path / "test_scores.npy").is_file():
        options = f"--layers {layers}" + ("" if fold is None else f" --fold {fold}")
        options += f" --tag {tag}" if tag else ""
        raise SystemExit(f"no trained run in {path}: run `train {options}` first")
    return path


def train(layers: int, epochs: int, fold: int | None, data_path: Path, tag: str) -> None:
    torch = importlib.import_module("torch")
    data = training.load_csv(data_path)
    test = training.load_csv(training.TEST_PATH)
    texts = [normalize(t) for t in data.texts]
    val_idx = None
    if fold is not None:
        fit_idx, val_idx = encoder_training.fold_split(data.groups, training.FOLDS, fold)
    else:
        fit_idx = np.arange(len(texts))
    started = time.perf_counter()
    model, tokenizer = encoder_training.fine_tune(
        texts, data.labels, fit_idx, layers=layers, epochs=epochs
    )
    out = _dir(layers, fold, tag)
    out.mkdir(parents=True, exist_ok=True)
    test_texts = [normalize(t) for t in test.texts]
    np.save(out / "test_scores.npy", encoder_training.torch_scores(model, tokenizer, test_texts))
    if val_idx is not None:
        np.save(out / "val_idx.npy", val_idx)
        val_scores = encoder_training.torch_scores(model, tokenizer, [texts[i] for i in val_idx])
        np.save(out / "val_scores.npy", val_scores)
    torch.save(model.state_dict(), out / "model.pt")
    seconds = time.perf_counter() - started
    (out / "train.json").write_text(
        json.dumps(
            {
                "layers": layers,
                "epochs": epochs,
                "fold": fold,
                "texts": len(fit_idx),
                "seconds": round(seconds),
            }
        )
    )
    print(f"trained on {len(fit_idx)} texts in {seconds:.0f} s; results in {out}")


def _recall_at(scores: np.ndarray[Any, Any], y: np.ndarray[Any, Any], far: float) -> float:
    negatives = np.sort(scores[y == 0])[::-1]
    cut = negatives[int(far * len(negatives))]
    return float(np.mean(scores[y == 1] > cut))


def _auc(scores: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float:
    from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

    return float(roc_auc_score(y, scores))


def _judge_scores(judge: Judge, texts: list[str]) -> np.ndarray[Any, Any]:
    return np.array([judge.assess(t).score for t in texts])


def _row(name: str, scores: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> str:
    cells = " | ".join(f"{_recall_at(scores, y, far):.3f}" for far in FARS)
    return f"| {name} | {cells} | {_auc(scores, y):.3f} |"


def report(layers: int, fold: int | None, tag: str) -> None:
    test = training.load_csv(training.TEST_PATH)
    y = test.labels
    linear = Judge.load().without_encoder()
    shipped = _judge_scores(linear, test.texts)
    run = _run(layers, fold, tag)
    encoder = np.load(run / "test_scores.npy")
    header = " | ".join(f"@{far:.1%}" for far in FARS)
    print(f"held-out recall at matched false-alarm rates ({len(y)} texts)\n")
    print(f"| model | {header} | AUC |\n|---|" + "---:|" * (len(FARS) + 1))
    print(_row("linear model", shipped, y))
    print(_row(f"encoder, {layers} layers", encoder, y))
    for w in WEIGHTS:
        print(_row(f"average, encoder weight {w}", w * encoder + (1 - w) * shipped, y))
    if fold is None:
        return
    # Choose the weight and threshold as a shipped model would, without the
    # held-out split: the n-gram model and the encoder, both trained without
    # fold K, score fold K; the held-out split is then judged by the models
    # trained on everything (the full-data encoder when it has been trained).
    full_run = _dir(layers, None, tag) / "test_scores.npy"
    if full_run.is_file():
        encoder = np.load(full_run)
    data = training.load_csv(training.DATA_PATH)
    fit_idx, val_idx = encoder_training.fold_split(data.groups, training.FOLDS, fold)
    assert np.array_equal(val_idx, np.load(run / "val_idx.npy"))
    x = featurize(
        training.PARAMS,
        [normalize(t) for t in data.texts],
        word_clusters.read_table(word_clusters.TABLE_PATH),
    )
    coef, intercept = training._fit(x[fit_idx], data.labels[fit_idx])
    linear_val = training._predict(coef, intercept, x[val_idx])
    encoder_val = np.load(run / "val_scores.npy")
    y_val = data.labels[val_idx]
    print(f"\nchosen on training fold {fold} ({len(val_idx)} texts), then held-out:\n")
    print("| encoder weight | fold recall @4% | threshold | held-out recall | false alarms |")
    print("|---:|---:|---:|---:|---:|")
    for w in (0.0, *WEIGHTS, 1.0):
        combined_val = w * encoder_val + (1 - w) * linear_val
        threshold = training.pick_threshold(y_val, combined_val)
        on_fold = training._rates(y_val, combined_val >= threshold)
        held_out = training._rates(y, w * encoder + (1 - w) * shipped >= threshold)
        print(
            f"| {w} | {on_fold['recall']:.3f} | {threshold:.3f} |"
            f" {held_out['recall']:.3f} | {held_out['false_alarm_rate']:.3f} |"
        )


def export(layers: int, fold: int | None, tag: str) -> None:
    """Export a trained run as the shipped format (int8 ONNX) and score with it."""
    torch = importlib.import_module("torch")
    out = _run(layers, fold, tag)
    model, tokenizer = encoder_training.classifier(layers)
    model.load_state_dict(torch.load(out / "model.pt"))
    model.eval()
    path = out / "encoder.onnx"
    encoder_training.export(model, tokenizer, path)
    scorer = Encoder.load(path)
    test = training.load_csv(training.TEST_PATH)
    scores = np.array([scorer.score(judged_text(t)) for t in test.texts])
    np.save(out / "test_scores_int8.npy", scores)
    print(f"wrote {path}: {path.stat().st_size / 1e6:.1f} MB")
    print(_row("int8 encoder (held-out)", scores, test.labels))
    if fold is not None:
        data = training.load_csv(training.DATA_PATH)
        val_idx = np.load(out / "val_idx.npy")
        val = [judged_text(data.texts[i]) for i in val_idx]
        np.save(out / "val_scores_int8.npy", np.array([scorer.score(t) for t in val]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("step", choices=("train", "report", "export"))
    parser.add_argument("--layers", type=int, default=6, choices=range(1, 7))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--fold", type=int, choices=range(training.FOLDS))
    parser.add_argument(
        "--data",
        type=Path,
        default=training.DATA_PATH,
        help="training CSV (train, without --fold only); default data/judge.csv",
    )
    parser.add_argument("--tag", default="", help="suffix of the results folder's name")
    args = parser.parse_args(argv)
    if args.step == "train":
        if args.fold is not None and args.data != training.DATA_PATH:
            parser.error("--fold splits data/judge.csv only")
        train(args.layers, args.epochs, args.fold, args.data, args.tag)
    elif args.step == "report":
        report(args.layers, args.fold, args.tag)
    else:
        export(args.layers, args.fold, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
