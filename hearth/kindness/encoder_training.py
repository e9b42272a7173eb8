"""Fine-tune and export the judge's encoder: `hearth train-judge --encoder`.

Needs the `ml` extra (PyTorch, the MiniLM model package and onnx); judging
does not (`encoder`). Two runs of the same recipe:

1. on the training split without its grouped fold FOLD (the same
   `GroupKFold` split `training` uses), exported and scored on that fold:
   the scores go to `model/encoder_fold.npz`, where `hearth train-judge`
   finds them to choose the threshold of the combined judge without the
   held-out split, and without PyTorch;
2. on the whole training split, exported to `model/encoder.onnx`.

The recipe: MiniLM's six layers fine-tuned end to end for two epochs
(AdamW, learning rate 4e-5 for the encoder and 1e-3 for the output, linear
warm-up over 200 steps then linear decay), batches of 32 texts of at most
64 tokens, mean pooling, one logistic output; then ONNX export with int8
weights (onnxruntime's dynamic quantisation, one scale per output channel).
About 40 minutes a run on two cores with 56,000 texts.
bench/judge_encoder.py measures the same recipe.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from hearth.kindness import encoder as runtime
from hearth.kindness.judge import judged_text

# The grouped fold left out of the first run.
FOLD = 0
LAYERS = 6
EPOCHS = 2
BATCH = 32
WARMUP_STEPS = 200
ENCODER_RATE = 4e-5
HEAD_RATE = 1e-3


def classifier(layers: int = LAYERS) -> tuple[Any, Any]:
    """MiniLM cut to its first `layers` layers, with mean pooling and one output,
    and its (Hugging Face) tokenizer."""
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


def tokenize(tokenizer: Any, texts: list[str], idx: Any) -> Any:
    """The texts at `idx`, tokenised and padded to the longest of them."""
    return tokenizer(
        [texts[i] for i in idx],
        padding=True,
        truncation=True,
        max_length=runtime.MAX_TOKENS,
        return_tensors="pt",
    )


def torch_scores(model: Any, tokenizer: Any, texts: list[str]) -> np.ndarray[Any, Any]:
    """Scores of normalised texts by the PyTorch model (first chunk only), in batches."""
    torch = importlib.import_module("torch")
    model.eval()
    out = np.zeros(len(texts))
    order = np.argsort([len(t) for t in texts])
    with torch.no_grad():
        for start in range(0, len(order), 128):
            idx = order[start : start + 128]
            enc = tokenize(tokenizer, texts, idx)
            out[idx] = model(enc["input_ids"], enc["attention_mask"]).numpy()
    return out


def fine_tune(
    texts: list[str],
    labels: np.ndarray[Any, Any],
    fit_idx: np.ndarray[Any, Any],
    *,
    layers: int = LAYERS,
    epochs: int = EPOCHS,
    log: Callable[[str], None] = print,
) -> tuple[Any, Any]:
    """The classifier fine-tuned on the normalised `texts` at `fit_idx`, and its tokenizer."""
    torch = importlib.import_module("torch")
    torch.manual_seed(0)
    model, tokenizer = classifier(layers)
    model.train()
    optimiser = torch.optim.AdamW(
        [
            {"params": model.bert.parameters(), "lr": ENCODER_RATE},
            {"params": model.head.parameters(), "lr": HEAD_RATE},
        ],
        weight_decay=0.01,
    )
    steps = epochs * -(-len(fit_idx) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / WARMUP_STEPS) * max(0.0, 1 - s / steps)
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
            enc = tokenize(tokenizer, texts, idx)
            scores = model(enc["input_ids"], enc["attention_mask"])
            loss = loss_fn(scores, torch.tensor(labels[idx], dtype=torch.float32))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 200 == 0:
                log(f"step {step}/{steps}, {time.perf_counter() - started:.0f} s")
    model.eval()
    return model, tokenizer


def export(model: Any, tokenizer: Any, path: Path) -> None:
    """Write `model` as one int8 ONNX file with its tokenizer and format in its metadata.

    Written beside `path` and renamed over it, so a reader sees the old file
    or the new one, never half of one.
    """
    torch = importlib.import_module("torch")
    onnx = importlib.import_module("onnx")
    quantization = importlib.import_module("onnxruntime.quantization")
    path.parent.mkdir(parents=True, exist_ok=True)
    example = tokenizer(["hello there"], return_tensors="pt")
    with tempfile.TemporaryDirectory() as tmp:
        full, quantised = Path(tmp) / "full.onnx", Path(tmp) / "int8.onnx"
        torch.onnx.export(
            model,
            (example["input_ids"], example["attention_mask"]),
            str(full),
            input_names=list(runtime.INPUTS),
            output_names=["score"],
            dynamic_axes={"ids": {0: "b", 1: "t"}, "mask": {0: "b", 1: "t"}, "score": {0: "b"}},
            opset_version=17,
            dynamo=False,
        )
        # Per output channel: one scale per column keeps held-out recall
        # within about a point of full precision (one scale per matrix lost
        # about two; docs/kindness.md), at the same size.
        quantization.quantize_dynamic(
            str(full), str(quantised), weight_type=quantization.QuantType.QInt8, per_channel=True
        )
        graph = onnx.load(str(quantised))
        onnx.helper.set_model_props(
            graph,
            {
                runtime.FORMAT_KEY: runtime.FORMAT,
                runtime.TOKENIZER_KEY: tokenizer.backend_tokenizer.to_str(),
            },
        )
        tmp_path = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            onnx.save(graph, str(tmp_path))
            os.replace(tmp_path, path)
        finally:
            tmp_path.unlink(missing_ok=True)


def fold_split(groups: list[str], folds: int, fold: int = FOLD) -> tuple[Any, Any]:
    """(fit, held) indices of grouped fold `fold` of texts in `groups`, as `training` splits."""
    from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

    splits = list(GroupKFold(n_splits=folds).split(np.zeros(len(groups)), groups=groups))
    fit_idx, held_idx = splits[fold]
    return np.asarray(fit_idx), np.asarray(held_idx)


def train_encoder(
    data_path: Path,
    *,
    encoder_path: Path = runtime.ENCODER_PATH,
    fold_path: Path = runtime.FOLD_SCORES_PATH,
    log: Callable[[str], None] = print,
) -> None:
    """Both runs (see the module's docstring); writes `fold_path` and `encoder_path`."""
    from hearth.kindness import training

    data = training.load_csv(data_path)
    texts = [judged_text(t) for t in data.texts]
    fit_idx, held_idx = fold_split(data.groups, training.FOLDS)
    log(f"encoder, run 1 of 2: {len(fit_idx)} texts, leaving out fold {FOLD}")
    model, tokenizer = fine_tune(texts, data.labels, fit_idx, log=log)
    with tempfile.TemporaryDirectory() as tmp:
        fold_encoder = Path(tmp) / "fold.onnx"
        export(model, tokenizer, fold_encoder)
        scorer = runtime.Encoder.load(fold_encoder)
        held_scores = np.array([scorer.score(texts[i]) for i in held_idx])
    log(f"encoder, run 2 of 2: all {len(texts)} texts")
    model, tokenizer = fine_tune(texts, data.labels, np.arange(len(texts)), log=log)
    # Written together at the end: an interrupted run leaves the old pair.
    export(model, tokenizer, encoder_path)
    write_fold_scores(
        fold_path, training.sha256(data_path), training.sha256(encoder_path), held_idx, held_scores
    )
    log(f"wrote {fold_path} and {encoder_path}")


def write_fold_scores(
    path: Path,
    data_sha256: str,
    encoder_sha256: str,
    idx: np.ndarray[Any, Any],
    scores: np.ndarray[Any, Any],
) -> None:
    """Record the fold scores with the training data and the (full) encoder they go with."""
    np.savez_compressed(
        path,
        format=np.array(runtime.FORMAT),
        data_sha256=np.array(data_sha256),
        encoder_sha256=np.array(encoder_sha256),
        fold=np.array(FOLD),
        idx=idx.astype(np.int64),
        scores=scores.astype(np.float64),
    )
