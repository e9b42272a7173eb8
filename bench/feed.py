"""The home-feed benchmark (`make bench`): DESIGN.md's performance targets for feeds.

For each database (SQLite, PostgreSQL) it runs two child processes (Django
settings are per process), each in a throwaway database:

1. a small data set (10,000 posts; same people and follows): the cost of one
   home-feed read (selector, in-process);
2. the benchmark data set at --scale: the same read cost, GET /healthz and
   GET /home on `hearth serve` (production settings, granian WSGI) driven
   by wrk over loopback, GET /home paced at 80% of the measured rate (for
   each --servers configuration, workers x threads; the first is `hearth
   serve`'s default), and the fan-out time of a new post by the
   most-followed account.

Results go to bench/results/feed-<time>.json and a summary to stdout.

    .venv/bin/python -m bench.feed                   # default scale, both databases
    .venv/bin/python -m bench.feed --scale 1         # DESIGN.md's full data set
    .venv/bin/python -m bench.feed --scale 0.05 --db sqlite --duration 5   # smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.dbenv import DEFAULT_PG_DB, DEFAULT_PG_SERVER, ENGINES, REPO
from bench.shape import Shape

DEFAULT_SCALE = 0.25
SMALL_POSTS = 10_000
RESULTS = Path(__file__).with_name("results")


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "")
    versions: dict[str, str] = {"python": platform.python_version()}
    for package in ("django", "granian", "psycopg"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # a missing package is reported, not fatal
            versions[package] = "?"
    wrk = shutil.which("wrk")
    if wrk:
        probe = subprocess.run([wrk, "--version"], capture_output=True, text=True)
        versions["wrk"] = (probe.stdout or probe.stderr).split("\n", 1)[0].strip()
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": model,
        "kernel": platform.release(),
        "versions": versions,
    }


def postgres_reachable(server: str) -> bool:
    import psycopg

    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def code_version() -> dict[str, Any]:
    """The commit the benchmark ran, and whether Hearth's files differed from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
        )
        status = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "hearth"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return {"commit": None}
    if head.returncode != 0:
        return {"commit": None, "tree": str(REPO)}
    changed = [line[3:] for line in status.stdout.splitlines()]
    return {"commit": head.stdout.strip(), "uncommitted_hearth_files": changed}


def child(
    db: str, args: argparse.Namespace, *, posts: int | None, http: bool, work: Path
) -> dict[str, Any]:
    """Run bench.run_db for one database and data size; returns its JSON document."""
    label = "small" if not http else "bench"
    out = work / f"{db}-{label}.json"
    cmd = [
        sys.executable,
        "-m",
        "bench.run_db",
        "--db",
        db,
        "--scale",
        str(args.scale),
        "--seed",
        str(args.seed),
        "--reads",
        str(args.reads),
        "--pg-server",
        args.pg_server,
        "--pg-db",
        args.pg_db,
        "--out",
        str(out),
    ]
    if posts is not None:
        cmd += ["--posts", str(posts)]
    if http:
        cmd += [
            "--http",
            "--duration",
            str(args.duration),
            "--connections",
            str(args.connections),
            "--servers",
            args.servers,
            "--sessions",
            str(args.sessions),
            "--fanout-runs",
            str(args.fanout_runs),
        ]
    print(f"== {db}, {label} data set ==", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=REPO)
    result: dict[str, Any] = json.loads(out.read_text())
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def summarize(db: str, small: dict[str, Any], big: dict[str, Any]) -> dict[str, Any]:
    http = big.get("http", {})
    summary: dict[str, Any] = {
        "database": big.get("database_version", db),
        "posts_small": small["generated"]["counts"]["posts"],
        "posts_big": big["generated"]["counts"]["posts"],
        "feed_entries_big": big["generated"]["counts"]["feed_entries"],
        "read_ms_small": small["read_cost"]["mean_ms"],
        "read_ms_big": big["read_cost"]["mean_ms"],
        "read_cost_ratio": round(big["read_cost"]["mean_ms"] / small["read_cost"]["mean_ms"], 2),
        "read_cost_ratio_p50": round(big["read_cost"]["p50_ms"] / small["read_cost"]["p50_ms"], 2),
        "read_cpu_ms_small": small["read_cost"]["cpu_ms_per_read"],
        "read_cpu_ms_big": big["read_cost"]["cpu_ms_per_read"],
        "read_cpu_ratio": round(
            big["read_cost"]["cpu_ms_per_read"] / small["read_cost"]["cpu_ms_per_read"], 2
        ),
        "read_best_fifth_ratio": round(
            big["read_cost"]["best_fifth_mean_ms"] / small["read_cost"]["best_fifth_mean_ms"], 2
        ),
    }
    summary["http"] = []
    for run in http.get("runs", []):
        row: dict[str, Any] = {"server": f"{run['workers']}x{run['threads']}"}
        for name in ("healthz", "home", "home_paced_80"):
            r = run[name]
            row[name] = {k: r[k] for k in ("rps", "p50_ms", "p99_ms", "errors", "non200")}
            row[name]["cpu"] = r["cpu"]
            # Server CPU per request: steadier than requests/s on a shared machine.
            row[name]["server_cpu_ms_per_request"] = round(
                1000 * r["cpu"]["server_cores"] / max(r["rps"], 1e-9), 2
            )
        row["home_vs_healthz"] = run["home_vs_healthz"]
        summary["http"].append(row)
    if "fanout" in big:
        f = big["fanout"]
        summary["fanout"] = {k: f[k] for k in ("followers", "n", "p50_ms", "max_ms", "cpu_ms_mean")}
    return summary


def markdown(summaries: dict[str, dict[str, Any]]) -> str:
    lines = []
    for s in summaries.values():
        lines.append(f"### {s['database']}")
        lines.append("")
        if s["http"]:
            lines.append(
                "| endpoint | requests/s | p50 ms | p99 ms | vs /healthz "
                "| server CPU ms/request | cores: server / load generator / other |"
            )
            lines.append("|---|---:|---:|---:|---:|---:|---|")
            endpoints = (
                ("healthz", "GET /healthz, closed loop"),
                ("home", "GET /home, closed loop"),
                ("home_paced_80", "GET /home paced at 80%"),
            )
            for row in s["http"]:
                for name, label in endpoints:
                    r, cpu = row[name], row[name]["cpu"]
                    ratio = r["rps"] / row["healthz"]["rps"]
                    lines.append(
                        f"| {row['server']}: {label} | {r['rps']:,.1f} | {r['p50_ms']} "
                        f"| {r['p99_ms']} | {ratio:.4f} | {r['server_cpu_ms_per_request']} "
                        f"| {cpu['server_cores']} / {cpu['loadgen_cores']} / {cpu['other_cores']} |"
                    )
            lines.append("")
        lines.append(
            f"- one home_feed read, CPU (client + database): {s['read_cpu_ms_small']} ms at "
            f"{s['posts_small']:,} posts, {s['read_cpu_ms_big']} ms at {s['posts_big']:,} posts: "
            f"ratio {s['read_cpu_ratio']}; wall-clock mean {s['read_ms_small']} -> "
            f"{s['read_ms_big']} ms (ratio {s['read_cost_ratio']}, p50 ratio "
            f"{s['read_cost_ratio_p50']}, least-disturbed fifth {s['read_best_fifth_ratio']})"
        )
        if "fanout" in s:
            f = s["fanout"]
            lines.append(
                f"- fan-out of one post to {f['followers']:,} followers: median {f['p50_ms']} ms, "
                f"max {f['max_ms']} ms over {f['n']} posts (CPU, client + database: "
                f"{f['cpu_ms_mean']} ms)"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Hearth's home-feed benchmark (see docs/benchmarks.md)."
    )
    p.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="1 = DESIGN.md's data set")
    p.add_argument("--db", default=",".join(ENGINES), help="comma-separated: sqlite,postgres")
    p.add_argument("--small-posts", type=int, default=SMALL_POSTS)
    p.add_argument("--reads", type=int, default=500, help="home_feed reads per data size")
    p.add_argument("--duration", type=int, default=15, help="seconds per HTTP measurement")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument(
        "--servers",
        default="2x8,4x1",
        help="`hearth serve` configurations, workers x threads; the first (2x8) is its default",
    )
    p.add_argument("--sessions", type=int, default=200, help="logged-in people to rotate")
    p.add_argument("--fanout-runs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    p.add_argument("--pg-db", default=DEFAULT_PG_DB)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    for db in dbs:
        if db not in ENGINES:
            p.error(f"unknown database {db!r}")

    if "postgres" in dbs and not postgres_reachable(args.pg_server):
        print(f"PostgreSQL at {args.pg_server} is not reachable: skipping it", file=sys.stderr)
        dbs.remove("postgres")
    if not dbs:
        return 1

    started = time.perf_counter()
    doc: dict[str, Any] = {
        "benchmark": "feed",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(
            ["python -m bench.feed", *(argv if argv is not None else sys.argv[1:])]
        ),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "shape": json.loads(Shape.at_scale(args.scale).to_json()),
        "machine": machine(),
        "code": code_version(),
        "loadavg_start": os.getloadavg(),
        "databases": {},
        "summary": {},
    }
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        for db in dbs:
            small = child(db, args, posts=args.small_posts, http=False, work=Path(tmp))
            big = child(db, args, posts=None, http=True, work=Path(tmp))
            doc["databases"][db] = {"small": small, "bench": big}
            doc["summary"][db] = summarize(db, small, big)
    doc["loadavg_end"] = os.getloadavg()
    doc["wall_s"] = round(time.perf_counter() - started, 1)

    out = args.out
    if out is None:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"feed-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(doc, indent=2))
    print()
    print(markdown(doc["summary"]))
    print(f"results: {out} ({doc['wall_s']:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
