"""Where the time of one GET /home goes: cProfile over in-process requests.

    .venv/bin/python -m bench.profile_home --db sqlite --scale 0.05

Generates a data set in a throwaway database (as bench.feed does), then
profiles GET /home through Django's full stack (test client, production
settings) and prints the split between the feed selector, template
rendering and the rest, the number of URL reversals per page, and the
functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench.datagen import generate, migrate, stderr_log
from bench.dbenv import DEFAULT_PG_DB, DEFAULT_PG_SERVER, ENGINES, django_setup, throwaway
from bench.shape import Shape


def _find(stats: dict[Any, Any], path_end: str, func: str) -> tuple[int, float]:
    """(calls, cumulative seconds) of one function in a pstats table."""
    calls, cumulative = 0, 0.0
    for (filename, _line, name), (_cc, nc, _tt, ct, _callers) in stats.items():
        if name == func and filename.endswith(path_end):
            calls += nc
            cumulative = max(cumulative, ct)
    return calls, cumulative


def profile(requests: int, limit: int, sort: str, active_ids: Sequence[int]) -> dict[str, Any]:
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
    started = time.perf_counter()
    for i in range(requests):
        clients[i % len(clients)].get("/home")
    plain_ms = (time.perf_counter() - started) * 1000 / requests
    with CaptureQueriesContext(connection) as ctx:
        clients[0].get("/home")
    # Read now: the next request's request_started signal empties the log.
    queries = len(ctx.captured_queries)

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
        "requests": requests,
        "ms_per_request_unprofiled": round(plain_ms, 2),
        "queries_per_request": queries,
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
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--limit", type=int, default=40)
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    p.add_argument("--pg-db", default=DEFAULT_PG_DB)
    args = p.parse_args(argv)
    with throwaway(args.db, pg_server=args.pg_server, pg_db=args.pg_db) as db:
        django_setup(db.env)
        migrate()
        generated = generate(Shape.at_scale(args.scale))
        result = profile(args.requests, args.limit, args.sort, generated.active_ids)
        from django.db import connections

        connections.close_all()
    print(result.pop("profile"))
    for key, value in result.items():
        print(f"{key}: {value}")
    stderr_log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
