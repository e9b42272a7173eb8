"""The data set's split: later batches never move an earlier example across it."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from hearth.kindness import dataset
from hearth.kindness.training import DATA_PATH, TEST_PATH

# SHA-256 of the sorted held-out (and training) texts of the first and second
# batches, one per line, as shipped before the third batch was added.
BATCHES_1_2_HELD_OUT = "54b6f4f62e1929b9951b2c897fcefc9bce42b2625fbec639ca8bc8ec11432040"
BATCHES_1_2_TRAIN = "eefc8ca900dc221a643b8f49e414b2202b128b47c03bfb64644715950350d588"
BATCHES_1_2_HELD_OUT_ROWS = 1330
# The same for the first three batches, as shipped before the fourth.
BATCHES_1_3_HELD_OUT = "6e0973252ffb68fd8a1710810a5d7f427ee9c43013160152eddbf4f3f2d5f72c"
BATCHES_1_3_TRAIN = "c89ad0d9091cda2cacd6640ea49209357ded89ee0593adc566f5e1c6742c143f"
BATCHES_1_3_HELD_OUT_ROWS = 1925
# The whole held-out split as the eleventh batch left it: it is closed since,
# and later batches (share 0 in dataset.BATCHES) go to training whole.
CLOSED_HELD_OUT = "9a05006b546d04218e17051b2cd912e6a9561081b9a05c6a821f53f62485adad"
CLOSED_HELD_OUT_ROWS = 4803


def _digest(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(texts)).encode()).hexdigest()


@pytest.fixture(scope="module")
def full() -> tuple[list[dataset.Example], list[dataset.Example]]:
    return dataset.build()


@pytest.fixture(scope="module")
def first_two() -> tuple[list[dataset.Example], list[dataset.Example]]:
    saved = dataset.BATCHES
    dataset.BATCHES = saved[:1]
    try:
        return dataset.build()
    finally:
        dataset.BATCHES = saved


@pytest.fixture(scope="module")
def first_three() -> tuple[list[dataset.Example], list[dataset.Example]]:
    saved = dataset.BATCHES
    dataset.BATCHES = saved[:2]
    try:
        return dataset.build()
    finally:
        dataset.BATCHES = saved


def test_first_three_batches_keep_their_split(first_three):
    train, test = first_three
    assert len(test) == BATCHES_1_3_HELD_OUT_ROWS
    assert _digest([ex.text for ex in test]) == BATCHES_1_3_HELD_OUT
    assert _digest([ex.text for ex in train]) == BATCHES_1_3_TRAIN


def test_first_two_batches_keep_their_split(first_two):
    train, test = first_two
    assert len(test) == BATCHES_1_2_HELD_OUT_ROWS
    assert _digest([ex.text for ex in test]) == BATCHES_1_2_HELD_OUT
    assert _digest([ex.text for ex in train]) == BATCHES_1_2_TRAIN


def test_the_held_out_split_is_closed_after_the_eleventh_batch(full):
    train, test = full
    assert len(test) == CLOSED_HELD_OUT_ROWS
    assert _digest([ex.text for ex in test]) == CLOSED_HELD_OUT
    assert all(share == 0 for *_, share in dataset.BATCHES[10:])
    # No training text mirrors a held-out one (folded to its words).
    held = {dataset.fold(ex.text) for ex in test}
    assert not {dataset.fold(ex.text) for ex in train} & held


def test_later_batches_only_append(full, first_two):
    train, test = full
    old_train, old_test = first_two
    assert [ex.text for ex in test[: len(old_test)]] == [ex.text for ex in old_test]
    assert {ex.text for ex in old_train} <= {ex.text for ex in train}
    assert len(train) > len(old_train) and len(test) > len(old_test)


def test_fourth_batch_only_appends(full, first_three):
    train, test = full
    old_train, old_test = first_three
    assert [ex.text for ex in test[: len(old_test)]] == [ex.text for ex in old_test]
    assert {ex.text for ex in old_train} <= {ex.text for ex in train}
    assert len(train) > len(old_train) and len(test) > len(old_test)


def test_no_group_on_both_sides(full):
    train, test = full
    assert not {ex.group for ex in train} & {ex.group for ex in test}
    assert not {ex.text for ex in train} & {ex.text for ex in test}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_shipped_csvs_are_the_build(full):
    train, test = full
    assert [r["text"] for r in _rows(DATA_PATH)] == [ex.text for ex in train]
    rows = _rows(TEST_PATH)
    assert [r["text"] for r in rows] == [ex.text for ex in test]
    assert _digest([r["text"] for r in rows[:BATCHES_1_2_HELD_OUT_ROWS]]) == BATCHES_1_2_HELD_OUT
    assert _digest([r["text"] for r in rows[:BATCHES_1_3_HELD_OUT_ROWS]]) == BATCHES_1_3_HELD_OUT


def test_a_training_only_batch_adds_nothing_to_the_held_out_split(tmp_path, monkeypatch):
    """Share 0: the batch goes to training whole; what merges with a held-out group is dropped."""
    kind = [f"0 chat: the {w} club meets on thursday at the old library" for w in WORDS]
    hurtful = [f"1 insult: you are a {w} and everyone in this {w} group knows it" for w in WORDS]
    (tmp_path / "templates.txt").write_text("", encoding="utf-8")
    (tmp_path / "handwritten.txt").write_text("\n".join(kind + hurtful) + "\n", encoding="utf-8")
    monkeypatch.setattr(dataset, "BATCHES", ())
    first_train, held = dataset.build(tmp_path)
    assert held  # about a fifth of the groups
    said_again = f"{held[0].text} honestly"
    (tmp_path / "batch99_extra.txt").write_text(
        "1 insult: what a spectacularly useless little man you are\n"
        "0 chat: the allotment gate code changed, ask me for the new one\n"
        f"{held[0].label} {held[0].category}: {said_again}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dataset, "BATCHES", (("batch99_*.txt", "m", 98, 0.0),))
    train, test = dataset.build(tmp_path)
    assert [ex.text for ex in test] == [ex.text for ex in held]
    assert {ex.text for ex in train} - {ex.text for ex in first_train} == {
        "what a spectacularly useless little man you are",
        "the allotment gate code changed, ask me for the new one",
    }


WORDS = (
    "chess",
    "knitting",
    "running",
    "baking",
    "pottery",
    "cycling",
    "birding",
    "rowing",
    "quilting",
    "climbing",
    "choir",
    "gardening",
    "fishing",
    "sketching",
    "hiking",
    "darts",
)
