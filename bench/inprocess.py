"""Measurements made inside one Django process: feed read cost, page cost, fan-out time.

Import only after bench.dbenv.django_setup().
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hearth.accounts.models import Follow, Mute, User
from hearth.core.ids import snowflake
from hearth.core.pagination import DEFAULT_PAGE_SIZE
from hearth.feeds.models import FeedEntry
from hearth.feeds.selectors import feed_marker, home_feed
from hearth.feeds.services import feed_fanout
from hearth.posts.models import Audience, Post


def _stats(seconds: Sequence[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "n": len(ordered),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 3),
        "p90_ms": round(ordered[int(len(ordered) * 0.9)] * 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def _db_backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 for SQLite).

    The backend runs on this machine, so its /proc entry is readable; with
    the client's own process_time() this gives the CPU cost of a read, which
    other work on a shared machine does not inflate the way it does wall time.
    """
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuClock:
    """CPU seconds of this process plus its database backend, between enter and exit."""

    def __enter__(self) -> CpuClock:
        self._start = time.process_time() + _db_backend_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.process_time() + _db_backend_cpu() - self._start


def readers(active_ids: Sequence[int], *, want: int, min_entries: int) -> list[int]:
    """Active people whose home feed holds more than one page, so reading it never moves
    the caught-up marker (the view writes it only on the page that reaches it)."""
    counts = dict(
        FeedEntry.objects.filter(owner_id__in=list(active_ids))
        .values_list("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    return [uid for uid in active_ids if counts.get(uid, 0) >= min_entries][:want]


def feed_read_cost(viewer_ids: Sequence[int], *, reads: int) -> dict[str, Any]:
    """Time `reads` calls of the home_feed selector (first page), spread over `viewer_ids`.

    One warm-up pass over all viewers comes first, so both data sizes are
    compared with warm caches. Also records the queries of one read and the
    mean time of each query over 50 reads.
    """
    users = {u.pk: u for u in User.objects.filter(pk__in=list(viewer_ids))}
    order = [users[uid] for uid in viewer_ids]
    for user in order:
        home_feed(viewer=user, max_id=None, older=False)
    times: list[float] = []
    posts_shown = 0
    with CpuClock() as cpu:
        for i in range(reads):
            user = order[i % len(order)]
            started = time.perf_counter()
            page = home_feed(viewer=user, max_id=None, older=False)
            times.append(time.perf_counter() - started)
            posts_shown += len(page.posts)
    # The least disturbed fifth of the run: an estimate of the uncontended cost.
    rounds = [times[k : k + max(1, reads // 5)] for k in range(0, reads, max(1, reads // 5))]
    best_round = min(statistics.fmean(r) for r in rounds if r)
    per_query: list[list[float]] = []
    sql: list[str] = []
    for i in range(min(50, len(order))):
        with CaptureQueriesContext(connection) as ctx:
            home_feed(viewer=order[i], max_id=None, older=False)
        if not sql:
            sql = [q["sql"] for q in ctx.captured_queries]
        for k, q in enumerate(ctx.captured_queries):
            if len(per_query) <= k:
                per_query.append([])
            per_query[k].append(float(q["time"]))
    return {
        **_stats(times),
        "cpu_ms_per_read": round(cpu.seconds / reads * 1000, 3),
        "best_fifth_mean_ms": round(best_round * 1000, 3),
        "viewers": len(order),
        "posts_per_page": round(posts_shown / reads, 1),
        "queries_per_read": len(sql),
        "query_mean_ms": [round(statistics.fmean(t) * 1000, 3) for t in per_query],
        "sql": sql,
    }


def feed_query_plans(viewer_id: int) -> dict[str, str]:
    """EXPLAIN (ANALYZE on PostgreSQL) of the two queries that read the home feed."""
    viewer = User.objects.get(pk=viewer_id)
    marker = feed_marker(user=viewer)
    entries = (
        FeedEntry.objects.filter(owner=viewer)
        .exclude(author__in=Mute.objects.filter(muter=viewer).values("muted"))
        .filter(post_id__gt=marker)
        .only("post_id")
        .order_by("-post_id")[: DEFAULT_PAGE_SIZE + 1]
    )
    ids = [e.post_id for e in entries]
    visible = Post.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    options: dict[str, Any] = (
        {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    )
    return {
        "feed_entries": entries.explain(**options),
        "visible_to": visible.explain(**options),
    }


def home_page_cost(viewer_ids: Sequence[int], *, requests: int) -> dict[str, Any]:
    """Time GET /home through Django's full stack in-process (no HTTP server, no network).

    The difference to feed_read_cost is middleware, session and user loading,
    and template rendering.
    """
    clients = []
    for uid in viewer_ids:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(pk=uid))
        clients.append(client)
    for client in clients:
        client.get("/home")
    times: list[float] = []
    size = 0
    for i in range(requests):
        client = clients[i % len(clients)]
        started = time.perf_counter()
        response = client.get("/home")
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise AssertionError(f"GET /home answered {response.status_code}")
        size += len(response.content)
    with CaptureQueriesContext(connection) as ctx:
        clients[0].get("/home")
    return {
        **_stats(times),
        "bytes": size // requests,
        "queries_per_request": len(ctx.captured_queries),
        "sql": [q["sql"] for q in ctx.captured_queries],
    }


def session_keys(user_ids: Sequence[int]) -> list[str]:
    """Logged-in sessions made the way django.contrib.auth.login stores them."""
    keys = []
    for user in User.objects.filter(pk__in=list(user_ids)):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "hearth.accounts.backends.UsernameOrEmailBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        assert store.session_key is not None
        keys.append(store.session_key)
    return keys


def fanout_time(author_id: int, *, runs: int) -> dict[str, Any]:
    """Publish `runs` new public posts by `author_id` and time feed_fanout for each.

    The post row is written directly (post_create would also enqueue the
    fan-out task); what is timed is the task's work, feed_fanout(post_id=...).
    """
    followers = Follow.objects.filter(followee_id=author_id, state=Follow.State.ACCEPTED).count()
    times: list[float] = []
    cpu: list[float] = []
    for k in range(runs):
        pid = snowflake()
        Post.objects.create(
            id=pid,
            author_id=author_id,
            text=f"Benchmark post {k}",
            html=f"<p>Benchmark post {k}</p>",
            audience=Audience.PUBLIC,
            thread_root_id=pid,
        )
        with CpuClock() as clock:
            started = time.perf_counter()
            written = feed_fanout(post_id=pid)
            times.append(time.perf_counter() - started)
        cpu.append(clock.seconds)
        if written != followers + 1:
            raise AssertionError(f"feed_fanout wrote {written} feeds, expected {followers + 1}")
    return {
        "followers": followers,
        "feeds_per_post": followers + 1,
        **_stats(times),
        "cpu_ms_mean": round(statistics.fmean(cpu) * 1000, 1),
    }
