"""The judge's second member: a fine-tuned sentence encoder, run with onnxruntime.

The n-gram model (`judge`) reads words and spellings; this model reads
meaning. It is MiniLM (all-MiniLM-L6-v2, from the `ml` extra's model
package), fine-tuned end to end on the judge's training data with mean
pooling and one logistic output (`encoder_training`), exported to ONNX with
int8 weights. One file, `model/encoder.onnx`, holds the network and, in its
metadata, the tokenizer and the format, so the two can never drift apart.

Judging needs only onnxruntime and `tokenizers` (both in the default
install), never PyTorch. The file is checked against the SHA-256 that the
judge's model file records: a missing, corrupt or mismatched encoder raises
`EncoderUnavailable`, which the judge turns into `JudgeUnavailable`.

A text of more than MAX_TOKENS tokens is read in overlapping chunks of
MAX_TOKENS (STRIDE tokens shared between neighbours), scored together, and
the highest score counts, as the n-gram model's windows do. A text long
enough to be judged in windows (`judge.WHOLE`) is read only in the
ENCODER_WINDOWS windows the n-gram model scores highest (see `Judge.assess`).
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "model"
ENCODER_PATH = MODEL_DIR / "encoder.onnx"
# Its scores on the training fold its first run left out (`encoder_training`).
FOLD_SCORES_PATH = MODEL_DIR / "encoder_fold.npz"
FORMAT = "hearth-judge-encoder/1"
# The metadata keys that travel inside the ONNX file.
FORMAT_KEY = "hearth_format"
TOKENIZER_KEY = "hearth_tokenizer"
# Tokens per chunk (the length the model was fine-tuned on) and the overlap
# between chunks of a longer text. The judge clips enormous texts first
# (`judge.clip_text`), so a text has at most about 60 chunks.
MAX_TOKENS = 64
STRIDE = 16
INPUTS = ("ids", "mask")


class EncoderUnavailable(RuntimeError):
    """The encoder file is missing, unreadable, or not the one the judge was trained with."""


def configure(tokenizer: Any) -> Any:
    """Set `tokenizer` (a `tokenizers.Tokenizer`) to cut chunks as the judge reads them."""
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS, stride=STRIDE)
    return tokenizer


class Encoder:
    """A loaded encoder. Thread-safe: onnxruntime sessions and tokenizers may be shared."""

    def __init__(self, session: Any, tokenizer: Any, sha256: str) -> None:
        self._session = session
        self._tokenizer = configure(tokenizer)
        self.sha256 = sha256

    @classmethod
    def load(cls, path: Path | str | None = None, *, sha256: str | None = None) -> Encoder:
        """Read an encoder written by `encoder_training.export`.

        With `sha256`, the file must have exactly that hash (the one recorded
        when the judge was trained). Raises EncoderUnavailable, naming the
        file and what is wrong.
        """
        path = Path(path) if path is not None else ENCODER_PATH
        if not path.is_file():
            raise EncoderUnavailable(f"judge encoder not found at {path}")
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if sha256 is not None and digest != sha256:
            raise EncoderUnavailable(
                f"judge encoder at {path} is not the one the judge was trained with "
                f"(SHA-256 {digest[:12]}, expected {sha256[:12]}): corrupt or replaced"
            )
        ort = importlib.import_module("onnxruntime")
        tokenizers = importlib.import_module("tokenizers")
        options = ort.SessionOptions()
        # One thread per text: the server judges many texts at once, each on
        # its own request thread, and a short text gains nothing from more.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            session = ort.InferenceSession(content, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own, unexported exception types
            raise EncoderUnavailable(
                f"judge encoder at {path} is corrupt or unreadable ({exc})"
            ) from exc
        meta = session.get_modelmeta().custom_metadata_map
        if meta.get(FORMAT_KEY) != FORMAT:
            raise EncoderUnavailable(
                f"judge encoder at {path} has format {meta.get(FORMAT_KEY)!r}, "
                f"this code reads {FORMAT!r}"
            )
        if tuple(i.name for i in session.get_inputs()) != INPUTS:
            raise EncoderUnavailable(f"judge encoder at {path} does not take {INPUTS}")
        try:
            tokenizer = tokenizers.Tokenizer.from_str(meta[TOKENIZER_KEY])
        except Exception as exc:  # KeyError, or the tokenizers library's own error
            raise EncoderUnavailable(
                f"judge encoder at {path} has no readable tokenizer ({exc})"
            ) from exc
        return cls(session, tokenizer, digest)

    def chunks(self, norm: str) -> list[list[int]]:
        """The token ids of each chunk of `norm` (see MAX_TOKENS and STRIDE)."""
        encoding = self._tokenizer.encode(norm)
        return [encoding.ids, *(extra.ids for extra in encoding.overflowing)]

    def score(self, norm: str) -> float:
        """Probability-like score in [0, 1] for one normalised text: its highest chunk's."""
        return self.score_max([norm])

    def score_max(self, norms: list[str]) -> float:
        """The highest chunk's score over several normalised texts, in one batch."""
        chunks = [chunk for norm in norms for chunk in self.chunks(norm)]
        width = max(len(ids) for ids in chunks)
        ids = np.zeros((len(chunks), width), dtype=np.int64)
        mask = np.zeros((len(chunks), width), dtype=np.int64)
        for row, chunk in enumerate(chunks):
            ids[row, : len(chunk)] = chunk
            mask[row, : len(chunk)] = 1
        scores = self._session.run(None, {"ids": ids, "mask": mask})[0]
        return float(np.clip(np.max(scores), 0.0, 1.0))
