"""The judge's encoder: how it joins the linear model, reads long texts, and fails loudly.

No database: the judge is plain Python over shipped model files.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from hearth.kindness.encoder import (
    ENCODER_PATH,
    FOLD_SCORES_PATH,
    MAX_TOKENS,
    Encoder,
    EncoderUnavailable,
)
from hearth.kindness.judge import Judge, JudgeUnavailable
from hearth.kindness.normalize import normalize
from hearth.kindness.training import (
    DATA_PATH,
    ENCODER_WEIGHT,
    TEST_PATH,
    TrainingError,
    main_train,
    train,
)


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge.load()


def test_the_shipped_judge_averages_the_encoder_and_the_linear_model(judge):
    assert judge.encoder is not None
    assert judge.encoder_weight == ENCODER_WEIGHT
    linear = judge.without_encoder()
    for text in ["calm down, nobody asked you", "see you at the allotment at 9"]:
        expected = (
            ENCODER_WEIGHT * judge.encoder.score(normalize(text))
            + (1 - ENCODER_WEIGHT) * linear.assess(text).score
        )
        assert judge.assess(text).score == pytest.approx(expected, abs=1e-9)


def test_the_encoder_tells_an_insult_from_a_kind_reply(judge):
    assert judge.encoder is not None
    hurtful = judge.encoder.score(normalize("you are a pathetic excuse for a human being"))
    kind = judge.encoder.score(normalize("thank you for the lovely photos of the garden"))
    assert hurtful > 0.9 > 0.1 > kind


def test_the_encoder_reads_a_long_post_to_its_end(judge):
    """A text longer than one chunk is read in overlapping chunks; an insult in
    the last one still counts."""
    assert judge.encoder is not None
    friendly = "We planted the beans by the fence and watered them twice today. " * 12
    hurtful = friendly + "And you, Sam, are a worthless idiot and everyone here knows it."
    chunks = judge.encoder.chunks(normalize(hurtful))
    assert len(chunks) > 1
    assert all(len(chunk) <= MAX_TOKENS for chunk in chunks)
    assert judge.encoder.score(normalize(hurtful)) > 0.9
    assert judge.encoder.score(normalize(friendly)) < 0.1
    assert judge.assess(hurtful).nudge
    assert not judge.assess(friendly).nudge


def test_the_encoder_file_is_one_small_file_with_its_tokenizer():
    assert ENCODER_PATH.stat().st_size < 30 * 1024 * 1024
    assert not list(ENCODER_PATH.parent.glob("*tokenizer*"))


# --- bad files ---------------------------------------------------------------------


def test_a_missing_encoder_stops_the_judge(tmp_path):
    with pytest.raises(JudgeUnavailable, match=r"encoder not found at .*encoder\.onnx.*--encoder"):
        Judge.load(encoder_path=tmp_path / "encoder.onnx")


@pytest.mark.parametrize("content", [b"", b"not an onnx file", ENCODER_PATH.read_bytes()[:100_000]])
def test_a_corrupt_or_replaced_encoder_stops_the_judge(tmp_path, content):
    path = tmp_path / "encoder.onnx"
    path.write_bytes(content)
    with pytest.raises(JudgeUnavailable, match="not the one the judge was trained with"):
        Judge.load(encoder_path=path)


@pytest.mark.parametrize("content", [b"", b"not an onnx file", ENCODER_PATH.read_bytes()[:100_000]])
def test_an_unreadable_encoder_is_refused_even_when_its_hash_matches(tmp_path, content):
    path = tmp_path / "encoder.onnx"
    path.write_bytes(content)
    with pytest.raises(EncoderUnavailable, match="corrupt or unreadable"):
        Encoder.load(path, sha256=hashlib.sha256(content).hexdigest())


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"hearth_format": "hearth-judge-encoder/0"}, "format"),
        ({"hearth_tokenizer": "{not json"}, "tokenizer"),
    ],
)
def test_an_encoder_of_another_format_or_without_tokenizer_is_refused(tmp_path, props, message):
    onnx = pytest.importorskip("onnx", reason="editing an ONNX file needs the ml extra")
    model = onnx.load(str(ENCODER_PATH))
    meta = {p.key: p.value for p in model.metadata_props}
    onnx.helper.set_model_props(model, {**meta, **props})
    path = tmp_path / "encoder.onnx"
    onnx.save(model, str(path))
    with pytest.raises(EncoderUnavailable, match=message):
        Encoder.load(path)


# --- training ------------------------------------------------------------------------


def _small_csv(path: Path, source: Path, rows: int) -> Path:
    with source.open(encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(lines[: rows + 1])
    return path


def test_the_shipped_fold_scores_belong_to_the_shipped_data():
    from hearth.kindness.training import encoder_fold, load_csv, sha256

    fold = encoder_fold(
        FOLD_SCORES_PATH, sha256(DATA_PATH), sha256(ENCODER_PATH), len(load_csv(DATA_PATH).texts)
    )
    assert len(fold.idx) > 5_000
    assert ((fold.scores >= 0) & (fold.scores <= 1)).all()


def test_training_on_other_data_asks_for_the_encoder_to_be_retrained(tmp_path, capsys):
    data = _small_csv(tmp_path / "judge.csv", DATA_PATH, 400)
    test = _small_csv(tmp_path / "judge_test.csv", TEST_PATH, 200)
    with pytest.raises(TrainingError, match=r"trained on other data.*--encoder"):
        train(data, tmp_path / "judge.npz", test_path=test)
    out = tmp_path / "judge.npz"
    assert main_train(["--data", str(data), "--test", str(test), "--out", str(out)]) == 2
    assert "--encoder" in capsys.readouterr().err
    assert not out.exists()


def test_training_without_the_encoder_makes_a_linear_judge(tmp_path, capsys):
    data = _small_csv(tmp_path / "judge.csv", DATA_PATH, 400)
    test = _small_csv(tmp_path / "judge_test.csv", TEST_PATH, 200)
    out = tmp_path / "judge.npz"
    args = ["--data", str(data), "--test", str(test), "--out", str(out), "--without-encoder"]
    assert main_train(args) == 0
    assert "the linear model alone" in capsys.readouterr().out
    linear = Judge.load(out, encoder_path=tmp_path / "no-encoder-needed.onnx")
    assert linear.encoder is None and linear.encoder_weight == 0.0
    assert 0.0 <= linear.assess("you are an idiot").score <= 1.0


def test_fold_scores_of_another_encoder_are_refused(tmp_path):
    """The fold scores set the pair's threshold: they must come from the same
    training run as the encoder they are combined with."""
    import numpy as np

    with np.load(FOLD_SCORES_PATH, allow_pickle=False) as npz:
        data = {key: npz[key] for key in npz.files}
    data["encoder_sha256"] = np.array("0" * 64)
    other = tmp_path / "encoder_fold.npz"
    np.savez_compressed(other, **data)
    with pytest.raises(TrainingError, match=r"belong to another encoder file.*--encoder"):
        train(DATA_PATH, tmp_path / "judge.npz", fold_scores_path=other)
    assert not (tmp_path / "judge.npz").exists()
