"""Time the judge: `python -m hearth.kindness.benchmark`.

Judges every text of the held-out set one at a time (single thread, after a
warm-up pass) and reports the mean and 99th-percentile time per text, beside
`str.lower` on the same texts in the same run, since absolute times move
from machine to machine, and beside the judge's linear model alone (without
the encoder), so the encoder's share shows. The design target is <= 5 ms
per text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hearth.kindness.judge import Judge, JudgeUnavailable
from hearth.kindness.training import TEST_PATH, TrainingError, load_csv


def _per_call(func: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    times: list[float] = []
    clock = time.perf_counter
    for _ in range(rounds):
        for text in texts:
            start = clock()
            func(text)
            times.append(clock() - start)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "mean_ms": statistics.fmean(times) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
    }


def measure(judge: Judge, texts: list[str], *, rounds: int = 3) -> dict[str, Any]:
    """Mean and p99 milliseconds per text for `judge.assess`, for its linear
    model alone and for `str.lower`."""
    linear = judge.without_encoder()
    _per_call(judge.assess, texts, 1)  # warm-up: caches, lazy imports
    judge_times = _per_call(judge.assess, texts, rounds)
    linear_times = _per_call(linear.assess, texts, rounds)
    baseline_times = _per_call(str.lower, texts, rounds)
    result: dict[str, Any] = {
        "texts": len(texts),
        "rounds": rounds,
        "judge": _summary(judge_times),
        "linear_model_alone": _summary(linear_times),
        "baseline_str_lower": _summary(baseline_times),
    }
    result["ratio_mean"] = result["judge"]["mean_ms"] / max(
        result["baseline_str_lower"]["mean_ms"], 1e-9
    )
    return result


def main_bench(argv: list[str]) -> int:
    """`python -m hearth.kindness.benchmark [--data CSV] [--rounds N] [--json]`."""
    parser = argparse.ArgumentParser(prog="hearth-judge-bench", description=__doc__)
    parser.add_argument("--data", type=Path, default=TEST_PATH, help="CSV with a text column")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        judge = Judge.load(args.model)
        texts = load_csv(args.data).texts
    except (JudgeUnavailable, TrainingError) as exc:
        print(f"hearth-judge-bench: {exc}", file=sys.stderr)
        return 2
    result = measure(judge, texts, rounds=args.rounds)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    j, b = result["judge"], result["baseline_str_lower"]
    linear = result["linear_model_alone"]
    print(f"{result['texts']} texts x {result['rounds']} rounds, one thread")
    print(f"judge.assess  mean {j['mean_ms']:.3f} ms  p99 {j['p99_ms']:.3f} ms")
    print(f"linear alone  mean {linear['mean_ms']:.3f} ms  p99 {linear['p99_ms']:.3f} ms")
    print(f"str.lower     mean {b['mean_ms'] * 1000:.2f} us  p99 {b['p99_ms'] * 1000:.2f} us")
    print(f"ratio (mean)  {result['ratio_mean']:.0f}x str.lower; target <= 5 ms per text")
    return 0


if __name__ == "__main__":
    sys.exit(main_bench(sys.argv[1:]))
