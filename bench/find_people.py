"""The "find your people" benchmark: ranking quality and the cost of one query.

For each model (lexical, embeddings):

1. quality: hit@1 and hit@3 on the labelled set
   (hearth/discovery/data/find_your_people.csv, written alongside the
   lexical model's concept map) and on the held-out set
   (find_your_people_holdout.csv, written afterwards and not tuned on), with
   the catalogue's 32 communities;
2. cost: --scale communities (10,000 by default) synthesised by recombining
   catalogue text (names, description sentences, topics, rules, posts; one in
   ten private), each encoded once into the payload the app stores
   (`encode_docs`), cached in bench/results/ and reused by later runs; the
   payloads are loaded into an index as a web process loads them, then per
   query (labelled texts in turn, top 10 with reasons): encoding the query,
   ranking the encoded query, and both together (`rank()`, the query cache
   emptied first), mean and p99. Beside it, in the same run and the same
   loop, a trivial baseline: one numpy float32 matrix-vector product of shape
   (communities x 384), the cost of scoring precomputed 384-dimensional
   vectors. Also: re-encoding one community and replacing its row (what an
   edit costs), loading all payloads (what a new process pays once) and
   the memory a loaded index holds (tracemalloc, which counts numpy's
   buffers: every byte a web process keeps for these communities).
   BLAS and PyTorch run one thread during the timings; wall-clock and CPU
   time are both reported.

Results go to bench/results/find_people-<time>.json and a summary to stdout.

    .venv/bin/python -m bench.find_people                     # both models, 10,000 communities
    .venv/bin/python -m bench.find_people --model lexical --scale 1000 --queries 50   # smoke run
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import random
import statistics
import struct
import sys
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hearth.discovery.resonance import (
    CommunityDoc,
    EmbeddingRanker,
    LexicalRanker,
    embeddings_available,
    evaluate,
    load_catalogue,
    load_labelled,
)
from hearth.discovery.resonance.documents import DATA_DIR, sentences

RESULTS = Path(__file__).with_name("results")
HOLDOUT_PATH = DATA_DIR / "find_your_people_holdout.csv"
BASELINE_DIM = 384


def synthesise(catalogue: Sequence[CommunityDoc], n: int, seed: int) -> list[CommunityDoc]:
    """n communities made by recombining the catalogue's own text."""
    rng = random.Random(seed)
    description_pool = [s for d in catalogue for s in sentences(d.description)]
    topic_pool = [t for d in catalogue for t in d.topics]
    rule_pool = [r for d in catalogue for r in d.rules]
    post_pool = [p for d in catalogue for p in d.recent_posts]
    docs = []
    for i in range(n):
        base = rng.choice(catalogue)
        description = [*sentences(base.description)[:2], *rng.sample(description_pool, 2)]
        docs.append(
            CommunityDoc(
                id=f"synthetic-{i:05d}",
                name=f"{base.name} {i}",
                description=" ".join(description),
                who_for=rng.choice(catalogue).who_for if rng.random() < 0.3 else base.who_for,
                topics=[*base.topics[:2], *rng.sample(topic_pool, 3)],
                rules=rng.sample(rule_pool, rng.randint(3, 5)),
                recent_posts=[*base.recent_posts[:2], *rng.sample(post_pool, rng.randint(2, 6))],
                private=rng.random() < 0.1,
            )
        )
    return docs


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timings(samples_ns: Sequence[int]) -> dict[str, float]:
    ms = [s / 1e6 for s in samples_ns]
    return {
        "mean_ms": round(statistics.fmean(ms), 3),
        "p50_ms": round(percentile(ms, 0.5), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
        "max_ms": round(max(ms), 3),
    }


def timed_loop(
    queries: Sequence[str], step: Any, baseline: Any
) -> tuple[dict[str, float], dict[str, float], float, float]:
    """Wall and CPU time of step(q) and, in the same loop, of baseline()."""
    wall: list[int] = []
    base: list[int] = []
    cpu = base_cpu = 0
    for q in queries:
        c0, t0 = time.process_time_ns(), time.perf_counter_ns()
        step(q)
        c1, t1 = time.process_time_ns(), time.perf_counter_ns()
        baseline()
        c2, t2 = time.process_time_ns(), time.perf_counter_ns()
        wall.append(t1 - t0)
        base.append(t2 - t1)
        cpu += c1 - c0
        base_cpu += c2 - c1
    n = len(queries)
    return timings(wall), timings(base), cpu / n / 1e6, base_cpu / n / 1e6


def measure(
    ranker: Any,
    queries: Sequence[str],
    n_communities: int,
    limit: int,
) -> dict[str, Any]:
    """Per query: encode, rank the encoded query, and rank() end to end; a numpy dot beside."""
    rng = np.random.default_rng(0)
    baseline_matrix = rng.standard_normal((n_communities, BASELINE_DIM), dtype=np.float32)
    baseline_query = rng.standard_normal(BASELINE_DIM, dtype=np.float32)

    def baseline() -> None:
        baseline_matrix @ baseline_query

    embeddings = isinstance(ranker, EmbeddingRanker)

    def encode(q: str) -> Any:
        if embeddings:
            ranker.forget_queries()  # time the encoding, not a cache hit
        return ranker.encode_query(q)

    def rank_encoded(q: str) -> None:
        ranker.rank_encoded(encoded[q], limit)

    def rank(q: str) -> None:
        if embeddings:
            ranker.forget_queries()
        ranker.rank(q, limit)

    for q in queries[:5]:  # warm-up
        rank(q)
        baseline()
    encoded = {q: encode(q) for q in set(queries)}
    result: dict[str, Any] = {}
    for name, step in (("encode_query", encode), ("rank_encoded", rank_encoded), ("rank", rank)):
        wall, base, cpu, base_cpu = timed_loop(queries, step, baseline)
        result[name] = {
            **wall,
            "cpu_mean_ms": round(cpu, 3),
            "baseline_dot_mean_ms": base["mean_ms"],
            "baseline_cpu_mean_ms": round(base_cpu, 3),
            "ratio_mean": round(wall["mean_ms"] / base["mean_ms"], 1),
        }
    return result


def held_bytes(model: str, docs: Sequence[CommunityDoc], payloads: Sequence[bytes]) -> int:
    """Bytes a new index of these payloads keeps, loaded as a web process loads them.

    Each payload is handed over as a fresh copy (as read from the database)
    and dropped after `put`, so whatever the index retains of it, views into
    the payload included, is counted.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = make_ranker(model)
        for doc, payload in zip(docs, payloads, strict=True):
            index.put(doc.id, bytes(memoryview(payload)))
        index.compact()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del index
    return int(held)


def make_ranker(model: str) -> Any:
    return EmbeddingRanker() if model == "embeddings" else LexicalRanker()


def write_payloads(path: Path, payloads: Sequence[bytes]) -> None:
    with path.open("wb") as f:
        for payload in payloads:
            f.write(struct.pack("<Q", len(payload)))
            f.write(payload)


def read_payloads(path: Path) -> list[bytes]:
    data = path.read_bytes()
    out, at = [], 0
    while at < len(data):
        (size,) = struct.unpack_from("<Q", data, at)
        out.append(data[at + 8 : at + 8 + size])
        at += 8 + size
    return out


def scale_payloads(
    ranker: Any, docs: Sequence[CommunityDoc], args: argparse.Namespace
) -> tuple[list[bytes], float | None]:
    """Every synthetic community's payload: from the cache, else encoded (and timed) once."""
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in ranker.identity)
    fmt = int(getattr(ranker, "payload_format", 1))

    def cached(f: int) -> Path:
        return RESULTS / f"find_people-vectors-{safe}-f{f}-{args.scale}-{args.seed}.bin"

    path = cached(fmt)
    if path.exists() and not args.reencode:
        return read_payloads(path), None
    older = [cached(f) for f in range(fmt - 1, 0, -1) if cached(f).exists()]
    if older and not args.reencode and hasattr(ranker, "upgrade_payload"):
        # Payloads of the same model in an older byte format: converted, as
        # the app's sweep converts stored rows of an older format (no model run).
        started = time.perf_counter()
        payloads = [ranker.upgrade_payload(p) for p in read_payloads(older[0])]
        args.upgrade_all_s = round(time.perf_counter() - started, 2)
        write_payloads(path, payloads)
        return payloads, None
    started = time.perf_counter()
    # One call: each distinct text is embedded once across the set (the
    # synthetic communities share most of their sentences; the app's sweep
    # encodes 500 communities a call, real ones share little).
    payloads = ranker.encode_docs(docs)
    elapsed = time.perf_counter() - started
    RESULTS.mkdir(exist_ok=True)
    write_payloads(path, payloads)
    return payloads, elapsed


def run_model(model: str, args: argparse.Namespace) -> dict[str, Any]:
    catalogue = load_catalogue()
    labelled = load_labelled()
    holdout = load_labelled(HOLDOUT_PATH) if HOLDOUT_PATH.exists() else []
    out: dict[str, Any] = {"model": model}

    print(f"== {model}: quality on the catalogue ({len(catalogue)} communities) ==", flush=True)
    started = time.perf_counter()
    ranker = make_ranker(model).fit(catalogue)
    out["fit_catalogue_s"] = round(time.perf_counter() - started, 2)
    out["identity"] = ranker.identity
    for name, items in (("labelled", labelled), ("holdout", holdout)):
        if not items:
            continue
        rates = evaluate(ranker, items)
        out[name] = {
            "n": rates.n,
            "hit_at_1": round(rates.hit_at_1, 3),
            "hit_at_3": round(rates.hit_at_3, 3),
            "misses": [[text, slug, list(top)] for text, slug, top in rates.misses],
        }

    print(f"== {model}: one query over {args.scale:,} communities ==", flush=True)
    docs = synthesise(catalogue, args.scale, args.seed)
    big = make_ranker(model)
    payloads, encode_all_s = scale_payloads(big, docs, args)
    out["encode_all_s"] = None if encode_all_s is None else round(encode_all_s, 1)
    out["upgrade_all_s"] = getattr(args, "upgrade_all_s", None)
    started = time.perf_counter()
    for doc, payload in zip(docs, payloads, strict=True):
        big.put(doc.id, payload)
    big.compact()
    out["load_all_s"] = round(time.perf_counter() - started, 2)
    out["payload_mb"] = round(sum(len(p) for p in payloads) / 1e6, 1)
    out["payload_bytes_per_community"] = round(sum(len(p) for p in payloads) / len(payloads))
    texts = [item.text for item in labelled]
    queries = [texts[i % len(texts)] for i in range(args.queries)]
    # One BLAS thread: a query is served by one request thread, and on a shared
    # machine a second BLAS thread mostly waits for a core.
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    if model == "embeddings":  # the same for PyTorch's own thread pool
        importlib.import_module("torch").set_num_threads(1)
    with threadpool_limits(limits=1, user_api="blas"):
        out["timing"] = measure(big, queries, args.scale, args.limit)
        # An edit: re-encode one community from its text and replace its row.
        edits: list[int] = []
        for doc in docs[: args.edits]:
            t0 = time.perf_counter_ns()
            big.put(doc.id, big.encode_docs([doc])[0])
            edits.append(time.perf_counter_ns() - t0)
        out["edit_one"] = timings(edits)
        # The next queries after those edits (edited rows scored from the overlay).
        after: list[int] = []
        for q in queries[:20]:
            t0 = time.perf_counter_ns()
            big.rank(q, args.limit)
            after.append(time.perf_counter_ns() - t0)
        out["rank_after_edits"] = timings(after)
    del big
    held = held_bytes(model, docs, payloads)
    out["held_mb"] = round(held / 1e6, 1)
    out["held_bytes_per_community"] = round(held / len(docs))
    return out


def markdown(doc: dict[str, Any]) -> str:
    scale = f"{doc['args']['scale']:,}"
    lines = [
        "| model | hit@1 | hit@3 | held-out hit@1 | held-out hit@3 |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in doc["models"].values():
        held = r.get("holdout", {"hit_at_1": "-", "hit_at_3": "-"})
        lines.append(
            f"| {r['model']} | {r['labelled']['hit_at_1']} | {r['labelled']['hit_at_3']} "
            f"| {held['hit_at_1']} | {held['hit_at_3']} |"
        )
    lines += [
        "",
        f"| model, over {scale} communities | wall mean / p99 ms | CPU mean ms "
        "| baseline dot wall / CPU ms | ratio (wall) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in doc["models"].values():
        for step in ("encode_query", "rank_encoded", "rank"):
            t = r["timing"][step]
            lines.append(
                f"| {r['model']}: {step} | {t['mean_ms']} / {t['p99_ms']} | {t['cpu_mean_ms']} "
                f"| {t['baseline_dot_mean_ms']} / {t['baseline_cpu_mean_ms']} "
                f"| {t['ratio_mean']}x |"
            )
    lines.append("")
    for r in doc["models"].values():
        encode_all = r["encode_all_s"]
        lines.append(
            f"- {r['model']}: one edit (re-encode one community, replace its row) "
            f"{r['edit_one']['mean_ms']} ms mean; next query {r['rank_after_edits']['mean_ms']} "
            f"ms mean; loading {scale} stored payloads ({r['payload_mb']} MB, "
            f"{r['payload_bytes_per_community']:,} B each) {r['load_all_s']} s, "
            f"held in memory {r['held_mb']} MB ({r['held_bytes_per_community']:,} B per "
            f"community); encoding all {scale} "
            + (f"{encode_all} s" if encode_all is not None else "(cached from an earlier run)")
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Find-your-people benchmark (docs/benchmarks.md).")
    p.add_argument("--model", choices=("lexical", "embeddings", "both"), default="both")
    p.add_argument("--scale", type=int, default=10_000, help="communities for the timing")
    p.add_argument("--queries", type=int, default=300, help="timed queries per model")
    p.add_argument("--limit", type=int, default=10, help="matches (with reasons) per query")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--edits", type=int, default=20, help="single-community edits timed")
    p.add_argument(
        "--reencode", action="store_true", help="encode the synthetic set even if cached"
    )
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)

    models = ["lexical", "embeddings"] if args.model == "both" else [args.model]
    if "embeddings" in models and not embeddings_available():
        if args.model == "embeddings":
            print("the `ml` extra is not installed: pip install torch '.[ml]'", file=sys.stderr)
            return 1
        print("the `ml` extra is not installed: lexical model only", file=sys.stderr)
        models.remove("embeddings")

    started = time.perf_counter()
    doc: dict[str, Any] = {
        "benchmark": "find_people",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(
            ["python -m bench.find_people", *(argv if argv is not None else sys.argv[1:])]
        ),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
        "loadavg_start": os.getloadavg(),
        "models": {},
    }
    for model in models:
        doc["models"][model] = run_model(model, args)
    doc["loadavg_end"] = os.getloadavg()
    doc["wall_s"] = round(time.perf_counter() - started, 1)

    out = args.out
    if out is None:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"find_people-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(doc, indent=2))
    print()
    print(markdown(doc))
    print(f"results: {out} ({doc['wall_s']:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
