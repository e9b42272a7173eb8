"""One database, one data size, in one process (Django settings are per process).

bench.feed runs this once per (database, data size). It creates a throwaway
database, migrates it, generates the data set, then measures: the home-feed
read cost in-process; and, with --http, GET /healthz and GET /home on the
real server and the fan-out time of the top account. It writes one JSON
document to --out.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.datagen import PASSWORD, generate, migrate, stderr_log
from bench.dbenv import DEFAULT_PG_DB, DEFAULT_PG_SERVER, ENGINES, django_setup, throwaway
from bench.loadgen import have_wrk, run_python, run_wrk
from bench.server import HOST, hearth_serve
from bench.shape import Shape


def _cookie(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def login_check(port: int, username: str) -> dict[str, Any]:
    """Log in through the real form (GET /login, POST /login with the CSRF token), then GET /home.

    Checks that the one precomputed password hash works and that a real
    login session reads the feed; the load itself uses sessions made in the
    database, since each login costs an Argon2 hash.
    """
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = _cookie(response.getheaders(), "csrftoken")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or csrf_cookie is None or match is None:
        raise RuntimeError(f"GET /login: {response.status}, no CSRF cookie or token")
    body = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)}
    )
    started = time.perf_counter()
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    response = conn.getresponse()
    response.read()
    login_ms = (time.perf_counter() - started) * 1000
    session = _cookie(response.getheaders(), "sessionid")
    if response.status != 302 or session is None:
        raise RuntimeError(f"POST /login answered {response.status} without a session")
    conn.request("GET", "/home", headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    if response.status != 200 or 'class="post' not in html:
        raise RuntimeError(f"GET /home after login answered {response.status} without posts")
    return {"login_ms": round(login_ms, 1), "home_bytes": len(html)}


def check_sessions(port: int, keys: Sequence[str]) -> dict[str, Any]:
    """GET /home once per session: every one must answer 200 with a full page of posts."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    posts = 0
    for key in keys:
        conn.request("GET", "/home", headers={"Cookie": f"sessionid={key}"})
        response = conn.getresponse()
        html = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"GET /home with a bench session answered {response.status}")
        posts += html.count('<article class="post')
    conn.close()
    return {"sessions": len(keys), "posts_per_page": round(posts / len(keys), 1)}


def parse_servers(raw: str) -> list[tuple[int, int]]:
    """ "2x8,4x1" -> [(2, 8), (4, 1)]: `hearth serve` workers x threads per worker."""
    configs = []
    for item in raw.split(","):
        workers, _, threads = item.strip().partition("x")
        configs.append((int(workers), int(threads)))
    return configs


def http_bench(
    env: dict[str, str],
    *,
    keys: Sequence[str],
    usernames: Sequence[str],
    work_dir: Path,
    duration: int,
    connections: int,
    servers: Sequence[tuple[int, int]],
    warmup: int,
) -> dict[str, Any]:
    """For each server configuration: /healthz, /home flat out, /home paced at 80%."""
    cookie_file = work_dir / "cookies.txt"
    cookie_file.write_text("\n".join(keys) + "\n")
    out: dict[str, Any] = {"tool": "wrk" if have_wrk() else "python-asyncio (no wrk)", "runs": []}
    for n, (workers, threads) in enumerate(servers):
        run: dict[str, Any] = {"workers": workers, "threads": threads}
        log_path = work_dir / f"server-{workers}x{threads}.log"
        with hearth_serve(env, workers=workers, threads=threads, log_path=log_path) as server:
            run["server_command"] = " ".join(["hearth", *server.command[1:]])
            stderr_log(f"  {run['server_command']}")
            if n == 0:
                out["login"] = login_check(server.port, usernames[0])
                out["session_check"] = check_sessions(server.port, keys)

            def closed(path: str, seconds: int, cookies: Path | None, pid: int, port: int) -> Any:
                if have_wrk():
                    return run_wrk(
                        port=port,
                        path=path,
                        duration=seconds,
                        connections=connections,
                        cookie_file=cookies,
                        server_pid=pid,
                    ).as_dict()
                return run_python(
                    port=port,
                    path=path,
                    duration=seconds,
                    connections=connections,
                    cookies=list(keys) if cookies else [],
                    server_pid=pid,
                ).as_dict()

            pid, port = server.pid, server.port
            closed("/healthz", warmup, None, pid, port)
            run["healthz"] = closed("/healthz", duration, None, pid, port)
            stderr_log(_line("healthz", run["healthz"]))
            closed("/home", warmup, cookie_file, pid, port)
            run["home"] = closed("/home", duration, cookie_file, pid, port)
            stderr_log(_line("home", run["home"]))
            run["home_paced_80"] = run_python(
                port=port,
                path="/home",
                duration=duration,
                connections=connections,
                cookies=keys,
                rate=round(run["home"]["rps"] * 0.8, 1),
                server_pid=pid,
            ).as_dict()
            stderr_log(_line("home at 80%", run["home_paced_80"]))
        run["home_vs_healthz"] = round(run["home"]["rps"] / run["healthz"]["rps"], 4)
        out["runs"].append(run)
    return out


def _line(name: str, r: dict[str, Any]) -> str:
    return (
        f"  {name}: {r['rps']:,.0f} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
        f"errors {r['errors']}, non-200 {r['non200']}, cpu {r['cpu']}"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    shape = Shape.at_scale(args.scale, posts=args.posts)
    result: dict[str, Any] = {"engine": args.db, "shape": json.loads(shape.to_json())}
    with throwaway(args.db, pg_server=args.pg_server, pg_db=args.pg_db) as db:
        django_setup(db.env)
        from django.core.management import call_command
        from django.db import connection, connections

        from bench import inprocess
        from hearth.core.pagination import DEFAULT_PAGE_SIZE

        result["database_version"] = _db_version(connection)
        result["migrate_s"] = round(migrate(), 2)
        started = time.perf_counter()
        generated = generate(shape, seed=args.seed)
        result["generate_s"] = round(time.perf_counter() - started, 1)
        result["generated"] = {
            "counts": generated.counts,
            "seconds": generated.seconds,
            "top_user_id": generated.top_user_id,
            "top_followers": generated.top_followers,
            "follow_exponent": generated.follow_exponent,
            "fanout_consistency_checked_posts": generated.checked_posts,
        }
        viewers = inprocess.readers(
            generated.active_ids,
            want=max(args.reads, args.sessions),
            min_entries=DEFAULT_PAGE_SIZE + 1,
        )
        result["read_cost"] = inprocess.feed_read_cost(viewers[: args.reads], reads=args.reads)
        stderr_log(
            f"  home_feed read: mean {result['read_cost']['mean_ms']} ms, "
            f"p50 {result['read_cost']['p50_ms']} ms over {args.reads} reads"
        )
        result["plans"] = inprocess.feed_query_plans(viewers[0])
        if args.http:
            # Production serves hashed static names from the manifest.
            call_command("collectstatic", interactive=False, verbosity=0)
            result["page_cost"] = inprocess.home_page_cost(viewers[:50], requests=300)
            stderr_log(
                f"  GET /home in-process: mean {result['page_cost']['mean_ms']} ms, "
                f"{result['page_cost']['queries_per_request']} queries"
            )
            keys = inprocess.session_keys(viewers[: args.sessions])
            from hearth.accounts.models import User

            usernames = list(
                User.objects.filter(pk__in=viewers[:1]).values_list("username", flat=True)
            )
            connections.close_all()
            result["http"] = http_bench(
                db.env,
                keys=keys,
                usernames=usernames,
                work_dir=db.data_dir,
                duration=args.duration,
                connections=args.connections,
                servers=parse_servers(args.servers),
                warmup=args.warmup,
            )
        if args.fanout_runs:
            result["fanout"] = inprocess.fanout_time(generated.top_user_id, runs=args.fanout_runs)
            stderr_log(
                f"  fan-out to {result['fanout']['followers']:,} followers: "
                f"median {result['fanout']['p50_ms']} ms, max {result['fanout']['max_ms']} ms"
            )
        connections.close_all()
    return result


def _db_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="One database, one data size (see bench.feed).")
    p.add_argument("--db", choices=ENGINES, required=True)
    p.add_argument("--scale", type=float, required=True)
    p.add_argument("--posts", type=int, default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reads", type=int, default=500)
    p.add_argument("--http", action="store_true")
    p.add_argument("--sessions", type=int, default=200)
    p.add_argument("--duration", type=int, default=15)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--servers", default="2x8,4x1", help="hearth serve workers x threads, ...")
    p.add_argument("--fanout-runs", type=int, default=0)
    p.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    p.add_argument("--pg-db", default=DEFAULT_PG_DB)
    p.add_argument("--out", type=Path, required=True)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result = run(args)
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
