"""Would a fine-tuned sentence encoder beside the n-gram judge reach issue 4's target?

The shipped judge (word and character n-grams, word clusters and hand
features in a linear model; `hearth.kindness.training`) levelled off at
held-out recall 0.82 at a matched 3.2% false-alarm rate and 0.85 at 5%, and
more hand-written data stopped moving it (docs/kindness.md). This measures
the other route: the `ml` extra's MiniLM (all-MiniLM-L6-v2), its first
`--layers` layers fine-tuned end to end on the judge's training split, with
mean pooling and one logistic output, alone and averaged with the shipped
judge's scores.

Three steps, each writing to bench/results/judge_encoder-L<layers>[-fold<K>]/:

    .venv/bin/python -m bench.judge_encoder train --layers 6            # about 25 min on 2 cores
    .venv/bin/python -m bench.judge_encoder train --layers 6 --fold 0   # trains on folds 1-4 only
    .venv/bin/python -m bench.judge_encoder report --layers 6 [--fold 0]
    .venv/bin/python -m bench.judge_encoder speed --layers 6            # needs onnx + onnxruntime

`train --data PATH --tag NAME` trains on another CSV of the same columns,
for example one built with the batches in data/not_trained/ registered
(see the README there), into a folder named with NAME; `report --tag NAME`
reads it.

`train` needs the `ml` extra (PyTorch). It scores the held-out split
(data/judge_test.csv) and, with `--fold K`, the training split's grouped
fold K (the same `GroupKFold` split that `hearth train-judge` uses for its
threshold), which it leaves out of training.

`report` prints recall at matched false-alarm rates on the held-out split
and ROC AUC, for the shipped judge, the encoder, and their average at
weights 0.3, 0.5 and 0.7. With `--fold K` it also chooses as a shipped model
would, without looking at the held-out split: the n-gram model is trained on
the same four folds, the weight and the threshold (4% false alarms,
`training.pick_threshold`) are chosen on fold K, and the held-out recall and
false-alarm rate at that choice are reported, scoring the held-out split
with the shipped judge and the encoder trained on all of the training
split (the fold K encoder when that has not been trained).

`speed` exports the trained encoder to ONNX, quantises its weights to int8
(onnxruntime's dynamic quantisation) and times tokenising and scoring every
held-out text one at a time on one thread, beside the shipped judge's
`assess` in the same loop (the baseline), and reports the int8 model's
recall so the cost of quantising shows. onnx and onnxruntime are not
project dependencies: `.venv/bin/pip install onnx onnxruntime` first.

Nothing here is used by Hearth at run time; the figures are in
docs/kindness.md.
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
from hearth.kindness import training
from hearth.kindness.judge import Judge, featurize
from hearth.kindness.normalize import normalize

RESULTS = Path(__file__).resolve().parent / "results"
BATCH = 32
MAX_TOKENS = 64
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


def _fold_indices(data: training.Dataset, fold: int) -> tuple[np.ndarray[Any, Any], ...]:
    from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

    splits = list(
        GroupKFold(n_splits=training.FOLDS).split(data.texts, data.labels, groups=data.groups)
    )
    fit_idx, held_idx = splits[fold]
    return np.asarray(fit_idx), np.asarray(held_idx)


def _classifier(layers: int) -> tuple[Any, Any]:
    """MiniLM cut to its first `layers` layers, with mean pooling and one output."""
    torch = importlib.import_module("torch")
    from hearth.core.minilm import load_model

    encoder = load_model()
    bert = encoder[0].auto_model
    bert.encoder.layer = bert.encoder.layer[:layers]

    class Classifier(torch.nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.head = torch.nn.Linear(bert.config.hidden_size, 1)

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            return torch.sigmoid(self.head(pooled).squeeze(-1))

    return Classifier(), encoder.tokenizer


def _batch(tokenizer: Any, texts: list[str], idx: Any) -> Any:
    """The texts at `idx`, tokenised and padded to the longest of them."""
    return tokenizer(
        [texts[i] for i in idx],
        padding=True,
        truncation=True,
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )


def _score(model: Any, tokenizer: Any, texts: list[str]) -> np.ndarray[Any, Any]:
    torch = importlib.import_module("torch")
    model.eval()
    out = np.zeros(len(texts))
    order = np.argsort([len(t) for t in texts])
    with torch.no_grad():
        for start in range(0, len(order), 128):
            idx = order[start : start + 128]
            enc = _batch(tokenizer, texts, idx)
            out[idx] = model(enc["input_ids"], enc["attention_mask"]).numpy()
    return out


def train(layers: int, epochs: int, fold: int | None, data_path: Path, tag: str) -> None:
    torch = importlib.import_module("torch")
    torch.manual_seed(0)
    data = training.load_csv(data_path)
    test = training.load_csv(training.TEST_PATH)
    texts = [normalize(t) for t in data.texts]
    labels = data.labels
    val_idx = None
    if fold is not None:
        fit_idx, val_idx = _fold_indices(data, fold)
    else:
        fit_idx = np.arange(len(texts))
    model, tokenizer = _classifier(layers)
    model.train()
    optimiser = torch.optim.AdamW(
        [
            {"params": model.bert.parameters(), "lr": 4e-5},
            {"params": model.head.parameters(), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    steps = epochs * -(-len(fit_idx) // BATCH)
    # Linear warm-up over 200 steps, then linear decay to zero.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / 200) * max(0.0, 1 - s / steps)
    )
    loss_fn = torch.nn.BCELoss()
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    step = 0
    for _ in range(epochs):
        # Shuffle, sort by length within runs of 100 batches (less padding),
        # then shuffle the batches.
        order = rng.permutation(fit_idx)
        runs = [order[i : i + BATCH * 100] for i in range(0, len(order), BATCH * 100)]
        order = np.concatenate([r[np.argsort([len(texts[i]) for i in r])] for r in runs])
        batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
        rng.shuffle(batches)
        for idx in batches:
            enc = _batch(tokenizer, texts, idx)
            scores = model(enc["input_ids"], enc["attention_mask"])
            loss = loss_fn(scores, torch.tensor(labels[idx], dtype=torch.float32))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 200 == 0:
                print(f"step {step}/{steps}, {time.perf_counter() - started:.0f} s", flush=True)
    out = _dir(layers, fold, tag)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "test_scores.npy", _score(model, tokenizer, [normalize(t) for t in test.texts]))
    if val_idx is not None:
        np.save(out / "val_idx.npy", val_idx)
        np.save(out / "val_scores.npy", _score(model, tokenizer, [texts[i] for i in val_idx]))
    torch.save(model.state_dict(), out / "model.pt")
    tokenizer.save_pretrained(out / "tokenizer")
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
    judge = Judge.load()
    shipped = _judge_scores(judge, test.texts)
    run = _run(layers, fold, tag)
    encoder = np.load(run / "test_scores.npy")
    header = " | ".join(f"@{far:.1%}" for far in FARS)
    print(f"held-out recall at matched false-alarm rates ({len(y)} texts)\n")
    print(f"| model | {header} | AUC |\n|---|" + "---:|" * (len(FARS) + 1))
    print(_row("shipped judge", shipped, y))
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
    fit_idx, val_idx = _fold_indices(data, fold)
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


def speed(layers: int, fold: int | None, tag: str) -> None:
    torch = importlib.import_module("torch")
    onnx_quant = importlib.import_module("onnxruntime.quantization")
    ort = importlib.import_module("onnxruntime")
    tokenizers = importlib.import_module("tokenizers")
    out = _run(layers, fold, tag)
    model, tokenizer = _classifier(layers)
    model.load_state_dict(torch.load(out / "model.pt"))
    model.eval()
    example = tokenizer(["hello there"], return_tensors="pt")
    full, quantised = out / "encoder.onnx", out / "encoder.int8.onnx"
    torch.onnx.export(
        model,
        (example["input_ids"], example["attention_mask"]),
        str(full),
        input_names=["ids", "mask"],
        output_names=["score"],
        dynamic_axes={"ids": {0: "b", 1: "t"}, "mask": {0: "b", 1: "t"}, "score": {0: "b"}},
        opset_version=17,
        dynamo=False,
    )
    onnx_quant.quantize_dynamic(str(full), str(quantised), weight_type=onnx_quant.QuantType.QInt8)
    fast = tokenizers.Tokenizer.from_file(str(out / "tokenizer" / "tokenizer.json"))
    fast.no_padding()
    fast.enable_truncation(MAX_TOKENS)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(quantised), options, providers=["CPUExecutionProvider"])
    test = training.load_csv(training.TEST_PATH)
    judge = Judge.load()
    encoder_ms, judge_ms, scores = [], [], []
    for text in test.texts:
        t0 = time.perf_counter()
        judge.assess(text)
        t1 = time.perf_counter()
        enc = fast.encode(normalize(text))
        feed = {
            "ids": np.array([enc.ids], dtype=np.int64),
            "mask": np.array([enc.attention_mask], dtype=np.int64),
        }
        scores.append(float(session.run(None, feed)[0][0]))
        t2 = time.perf_counter()
        judge_ms.append((t1 - t0) * 1000)
        encoder_ms.append((t2 - t1) * 1000)
    y = test.labels
    for name, ms in (("shipped judge.assess (baseline)", judge_ms), ("int8 encoder", encoder_ms)):
        arr = np.array(ms)
        print(
            f"{name}: mean {arr.mean():.2f} ms, p50 {np.median(arr):.2f},"
            f" p99 {np.percentile(arr, 99):.2f}"
        )
    print(f"ratio of means: {np.mean(encoder_ms) / np.mean(judge_ms):.1f}x the shipped judge")
    print(
        f"model files: {full.stat().st_size / 1e6:.1f} MB,"
        f" int8 {quantised.stat().st_size / 1e6:.1f} MB"
    )
    print(_row("int8 encoder (held-out)", np.array(scores), y))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("step", choices=("train", "report", "speed"))
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
        speed(args.layers, args.fold, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
