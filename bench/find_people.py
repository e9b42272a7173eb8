"""The "find your people" benchmark: ranking quality and the cost of one query.

For each model (lexical, embeddings):

1. quality: hit@1 and hit@3 on the labelled set
   (hearth/discovery/data/find_your_people.csv, written alongside the
   lexical model's concept map) and on the held-out set
   (find_your_people_holdout.csv, written afterwards and not tuned on), with
   the catalogue's 32 communities;
2. cost: --scale communities (10,000 by default) synthesised by recombining
   catalogue text (names, description sentences, topics, rules, posts; one in
   ten private), fitted once (vectors precomputed), then one `rank()` call per
   query (labelled texts in turn, top 10 with reasons), mean and p99. Beside
   it, in the same run and the same loop, a trivial baseline: one numpy
   float32 matrix-vector product of shape (communities x 384), the cost of
   scoring precomputed 384-dimensional vectors; and for the embeddings the
   query's encoding alone. BLAS and PyTorch run one thread during the
   timings; wall-clock and CPU time are both reported.

Results go to bench/results/find_people-<time>.json and a summary to stdout.

    .venv/bin/python -m bench.find_people                     # both models, 10,000 communities
    .venv/bin/python -m bench.find_people --model lexical --scale 1000 --queries 50   # smoke run
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hearth.discovery.resonance import (
    CommunityDoc,
    EmbeddingRanker,
    LexicalRanker,
    Ranker,
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


def measure(
    ranker: Ranker,
    queries: Sequence[str],
    n_communities: int,
    limit: int,
) -> dict[str, Any]:
    """Time rank() per query, and a numpy dot of (n_communities x 384) beside each."""
    rng = np.random.default_rng(0)
    baseline_matrix = rng.standard_normal((n_communities, BASELINE_DIM), dtype=np.float32)
    baseline_query = rng.standard_normal(BASELINE_DIM, dtype=np.float32)
    for q in queries[:5]:  # warm-up
        ranker.rank(q, limit)
        baseline_matrix @ baseline_query
    rank_ns: list[int] = []
    rank_cpu_ns: list[int] = []
    base_ns: list[int] = []
    base_cpu_ns: list[int] = []
    for q in queries:
        c0, t0 = time.process_time_ns(), time.perf_counter_ns()
        ranker.rank(q, limit)
        c1, t1 = time.process_time_ns(), time.perf_counter_ns()
        baseline_matrix @ baseline_query
        c2, t2 = time.process_time_ns(), time.perf_counter_ns()
        rank_ns.append(t1 - t0)
        base_ns.append(t2 - t1)
        rank_cpu_ns.append(c1 - c0)
        base_cpu_ns.append(c2 - c1)
    result: dict[str, Any] = {"rank": timings(rank_ns), "baseline_dot": timings(base_ns)}
    result["ratio_mean"] = round(result["rank"]["mean_ms"] / result["baseline_dot"]["mean_ms"], 1)
    # CPU time (this process, all its threads): what other work on a shared
    # machine inflates much less than wall-clock time.
    result["rank_cpu_mean_ms"] = round(statistics.fmean(rank_cpu_ns) / 1e6, 3)
    result["baseline_cpu_mean_ms"] = round(statistics.fmean(base_cpu_ns) / 1e6, 3)
    if isinstance(ranker, EmbeddingRanker):
        encode_ns: list[int] = []
        score_ns: list[int] = []
        for q in queries:
            t0 = time.perf_counter_ns()
            vector = ranker.query_vector(q)
            t1 = time.perf_counter_ns()
            ranker.rank_vector(vector, limit)
            t2 = time.perf_counter_ns()
            encode_ns.append(t1 - t0)
            score_ns.append(t2 - t1)
        result["encode_query"] = timings(encode_ns)
        result["rank_encoded_query"] = timings(score_ns)
    return result


def make_ranker(model: str) -> Ranker:
    return EmbeddingRanker() if model == "embeddings" else LexicalRanker()


def run_model(model: str, args: argparse.Namespace) -> dict[str, Any]:
    catalogue = load_catalogue()
    labelled = load_labelled()
    holdout = load_labelled(HOLDOUT_PATH) if HOLDOUT_PATH.exists() else []
    out: dict[str, Any] = {"model": model}

    print(f"== {model}: quality on the catalogue ({len(catalogue)} communities) ==", flush=True)
    started = time.perf_counter()
    ranker = make_ranker(model).fit(catalogue)
    out["fit_catalogue_s"] = round(time.perf_counter() - started, 2)
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
    started = time.perf_counter()
    big = make_ranker(model).fit(docs)
    out["fit_scale_s"] = round(time.perf_counter() - started, 2)
    texts = [item.text for item in labelled]
    queries = [texts[i % len(texts)] for i in range(args.queries)]
    # One BLAS thread: a query is served by one request thread, and on a shared
    # machine a second BLAS thread mostly waits for a core.
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    if model == "embeddings":  # the same for PyTorch's own thread pool
        importlib.import_module("torch").set_num_threads(1)
    with threadpool_limits(limits=1, user_api="blas"):
        out["timing"] = measure(big, queries, args.scale, args.limit)
    return out


def markdown(doc: dict[str, Any]) -> str:
    lines = [
        "| model | hit@1 | hit@3 | held-out hit@1 | held-out hit@3 "
        f"| one query over {doc['args']['scale']:,} communities: mean / p99 ms "
        "| baseline dot mean ms | ratio | CPU ms per query / baseline |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in doc["models"].values():
        t = r["timing"]
        held = r.get("holdout", {"hit_at_1": "-", "hit_at_3": "-"})
        lines.append(
            f"| {r['model']} | {r['labelled']['hit_at_1']} | {r['labelled']['hit_at_3']} "
            f"| {held['hit_at_1']} | {held['hit_at_3']} "
            f"| {t['rank']['mean_ms']} / {t['rank']['p99_ms']} "
            f"| {t['baseline_dot']['mean_ms']} | {t['ratio_mean']}x "
            f"| {t['rank_cpu_mean_ms']} / {t['baseline_cpu_mean_ms']} |"
        )
    for r in doc["models"].values():
        t = r["timing"]
        if "encode_query" in t:
            lines.append("")
            lines.append(
                f"- {r['model']}: encoding the query {t['encode_query']['mean_ms']} ms mean "
                f"(p99 {t['encode_query']['p99_ms']}); ranking the encoded query "
                f"{t['rank_encoded_query']['mean_ms']} ms mean "
                f"(p99 {t['rank_encoded_query']['p99_ms']})"
            )
        lines.append(
            f"- {r['model']}: fit {r['fit_catalogue_s']} s on the catalogue, "
            f"{r['fit_scale_s']} s on {doc['args']['scale']:,} communities"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Find-your-people benchmark (docs/benchmarks.md).")
    p.add_argument("--model", choices=("lexical", "embeddings", "both"), default="both")
    p.add_argument("--scale", type=int, default=10_000, help="communities for the timing")
    p.add_argument("--queries", type=int, default=300, help="timed queries per model")
    p.add_argument("--limit", type=int, default=10, help="matches (with reasons) per query")
    p.add_argument("--seed", type=int, default=1)
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
