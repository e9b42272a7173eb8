"""Where the time of one GET /home goes: cProfile over in-process requests.

    .venv/bin/python -m bench.profile_home --db sqlite --scale 0.05

Generates a data set in a throwaway database (as bench.feed does), then
profiles GET /home through Django's full stack (test client, production
settings) and prints the split between the feed selector, template
rendering and the rest, the number of URL reversals per page, and the
functions with the most cumulative time.

To compare two versions of the code on the same data, keep one SQLite data
set and point both at it (each run from its own checkout):

    .venv/bin/python -m bench.datagen --db sqlite --scale 0.05 --keep   # prints HEARTH_DATA_DIR=...
    .venv/bin/python -m bench.profile_home --data-dir DIR --batches 5 --requests 0

`--batches` times the unprofiled requests in that many batches and reports
the median and lowest CPU time per request of a batch, which other work
on a shared machine disturbs less than the mean.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import secrets
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.datagen import generate, migrate, stderr_log
from bench.dbenv import (
    DEFAULT_PG_DB,
    DEFAULT_PG_SERVER,
    ENGINES,
    django_setup,
    hearth_env,
    throwaway,
)
from bench.shape import Shape


def _find(stats: dict[Any, Any], path_end: str, func: str) -> tuple[int, float]:
    """(calls, cumulative seconds) of one function in a pstats table."""
    calls, cumulative = 0, 0.0
    for (filename, _line, name), (_cc, nc, _tt, ct, _callers) in stats.items():
        if name == func and filename.endswith(path_end):
            calls += nc
            cumulative = max(cumulative, ct)
    return calls, cumulative


def profile(
    requests: int, limit: int, sort: str, active_ids: Sequence[int], batches: int = 1
) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.inprocess import readers
    from hearth.accounts.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    clients = []
    for uid in readers(active_ids, want=50, min_entries=21):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(pk=uid))
        clients.append(client)
    for client in clients:
        client.get("/home")
    # Wall and CPU time of this process: on a shared machine CPU time moves
    # less when other work takes the cores.
    per_batch = max(requests, 20)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(batches):
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(per_batch):
            clients[i % len(clients)].get("/home")
        wall.append((time.perf_counter() - started) * 1000 / per_batch)
        cpu.append((time.process_time() - cpu_started) * 1000 / per_batch)
    with CaptureQueriesContext(connection) as ctx:
        clients[0].get("/home")
    # Read now: the next request's request_started signal empties the log.
    queries = len(ctx.captured_queries)
    timings = {
        "ms_per_request_unprofiled": round(statistics.median(wall), 2),
        "cpu_ms_per_request_unprofiled": round(statistics.median(cpu), 2),
        "cpu_ms_per_request_lowest_batch": round(min(cpu), 2),
        "batches": f"{batches} x {per_batch} requests",
        "queries_per_request": queries,
    }
    if requests <= 0:
        return {**timings, "profile": ""}

    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(requests):
        clients[i % len(clients)].get("/home")
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = _find(table, "django/test/client.py", "get")[1]
    _, selector = _find(table, "hearth/feeds/selectors.py", "home_feed")
    _, rendering = _find(table, "django/shortcuts.py", "render")
    reversals, reverse_s = _find(table, "django/urls/base.py", "reverse")
    stats.sort_stats(sort).print_stats(limit)
    return {
        **timings,
        "requests_profiled": requests,
        "share_home_feed_selector": round(selector / total, 3),
        "share_template_render": round(rendering / total, 3),
        "share_rest": round(1 - (selector + rendering) / total, 3),
        "url_reversals_per_request": reversals // requests,
        "share_url_reversal": round(reverse_s / total, 3),
        "profile": out.getvalue(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Profile GET /home in-process.")
    p.add_argument("--db", choices=ENGINES, default="sqlite")
    p.add_argument("--scale", type=float, default=0.05)
    p.add_argument(
        "--requests", type=int, default=50, help="requests profiled (0: time only, no profile)"
    )
    p.add_argument("--batches", type=int, default=1, help="batches of unprofiled requests timed")
    p.add_argument(
        "--data-dir",
        default=None,
        help="use this SQLite data set (kept by bench.datagen --keep) instead of generating one",
    )
    p.add_argument("--limit", type=int, default=40)
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    p.add_argument("--pg-db", default=DEFAULT_PG_DB)
    args = p.parse_args(argv)
    if args.data_dir:
        # The kept data set is read and written (sessions, caught-up lines), never removed.
        django_setup(
            hearth_env(
                data_dir=Path(args.data_dir),
                database_url=None,
                secret_key=secrets.token_urlsafe(48),
            )
        )
        from hearth.accounts.models import User

        everyone = list(User.objects.order_by("pk").values_list("pk", flat=True))
        result = profile(args.requests, args.limit, args.sort, everyone, args.batches)
    else:
        with throwaway(args.db, pg_server=args.pg_server, pg_db=args.pg_db) as db:
            django_setup(db.env)
            migrate()
            generated = generate(Shape.at_scale(args.scale))
            result = profile(
                args.requests, args.limit, args.sort, generated.active_ids, args.batches
            )
            from django.db import connections

            connections.close_all()
    print(result.pop("profile"))
    for key, value in result.items():
        print(f"{key}: {value}")
    stderr_log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
