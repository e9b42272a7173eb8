"""Generate people, follows, posts and home-feed entries in bulk.

The per-post service (post_create, then the feed_fanout task) would take
hours for 200,000 posts, so rows are written in bulk: COPY on PostgreSQL,
executemany on SQLite, with the big tables' secondary indexes dropped while
loading and built again afterwards. Home-feed entries are made by one
INSERT ... SELECT per range of posts that mirrors feed_fanout's rule
(author + accepted followers, for public and followers-only posts);
`check_fanout_consistency` compares a sample against feed_fanout's own
query.

Run on its own to look at a data set:

    .venv/bin/python -m bench.datagen --db sqlite --scale 0.1 --keep
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.dbenv import DEFAULT_PG_DB, DEFAULT_PG_SERVER, ENGINES, django_setup, throwaway
from bench.shape import Shape

PASSWORD = "bench-password-4791"
FEED_CHUNK_POSTS = 4000
Log = Callable[[str], None]

_VOCABULARY = """
today walk friends garden coffee rain morning kids work tired grateful small win
learning bread music long week hope quiet evening train book sister neighbour
recovery therapy sunrise bike library soup letter hospital laugh storm patience
started finally again slowly honest help thanks proud worried better
"""
WORDS = _VOCABULARY.split()
TONES = ("", "", "", "", "genuine", "celebrating", "venting", "serious", "joking", "support")


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Generated:
    shape: Shape
    counts: dict[str, int]
    seconds: dict[str, float]
    top_user_id: int
    top_followers: int
    active_ids: list[int]
    follow_exponent: float
    checked_posts: int = 0
    notes: list[str] = field(default_factory=list)


def follower_counts(shape: Shape) -> tuple[list[int], float]:
    """In-degree per popularity rank: min(people-1, top/(r+1)**a), summing to `follows`."""
    n = shape.people
    cap = n - 1

    def total(a: float) -> int:
        return sum(min(cap, int(shape.top_followers / (r + 1) ** a)) for r in range(n))

    lo, hi = 0.0, 8.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if total(mid) > shape.follows:
            lo = mid
        else:
            hi = mid
    a = hi
    counts = [min(cap, int(shape.top_followers / (r + 1) ** a)) for r in range(n)]
    missing = shape.follows - sum(counts)
    r = 0
    while missing > 0 and r < n * 4:
        i = r % n
        if counts[i] < cap:
            counts[i] += 1
            missing -= 1
        r += 1
    return counts, a


def _texts(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """A pool of (text, html) pairs rendered by Hearth's own renderer."""
    from hearth.core.text import render

    pool = []
    for i in range(count):
        words = rng.choices(WORDS, k=rng.randint(8, 45))
        text = " ".join(words).capitalize() + "."
        if i % 7 == 0:
            text += "\n\n" + " ".join(rng.choices(WORDS, k=rng.randint(5, 20))) + "."
        if i % 11 == 0:
            text += " https://example.org/notes/" + str(i)
        rendered = render(text, mention_url=lambda _: None, hashtag_url=lambda t: f"/tags/{t}")
        pool.append((text, rendered.html))
    return pool


# --- bulk loading --------------------------------------------------------------


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _filled_columns(table: str, columns: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The columns of `table`'s model that the caller left out, with their defaults.

    The generator names only the columns it cares about; a field added to the
    model later (with a default, or nullable) is filled here, so a new
    migration does not break the benchmark's bulk load.
    """
    from django.apps import apps

    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return [], ()
    extra: list[str] = []
    values: list[Any] = []
    for model_field in model._meta.concrete_fields:
        if model_field.column in columns or model_field.primary_key:
            continue
        # Django's own default: the field's, else "" for text, else None.
        default = model_field.get_default()
        if default is None and not model_field.null:
            continue  # nothing sensible to fill: the insert will say which column
        extra.append(str(model_field.column))
        values.append(model_field.get_db_prep_save(default, connection=_connection()))
    return extra, tuple(values)


def _connection() -> Any:
    from django.db import connection

    return connection


def load_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Append rows to `table`: COPY on PostgreSQL, executemany on SQLite.

    Columns of the model that `columns` leaves out get their defaults.
    """
    from django.db import connection

    count = 0
    extra, filler = _filled_columns(table, columns)
    columns = [*columns, *extra]

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield (*row, *filler)

    cols = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in counted():
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            connection.connection.executemany(
                f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', counted()
            )
    return count


@contextmanager
def indexes_dropped(tables: Sequence[str], log: Log) -> Iterator[None]:
    """Drop the secondary indexes and unique constraints of `tables`, rebuild them on exit.

    The definitions are read from the catalog, so what is rebuilt is exactly
    what the migrations made.
    """
    from django.db import connection

    rebuild: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    """
                    SELECT ci.relname, pg_get_indexdef(i.indexrelid), c.conname,
                           pg_get_constraintdef(c.oid)
                    FROM pg_index i
                    JOIN pg_class ci ON ci.oid = i.indexrelid
                    LEFT JOIN pg_constraint c
                      ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                     AND c.contype IN ('u', 'x')
                    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                    """,
                    [table],
                )
                for index_name, index_def, con_name, con_def in cursor.fetchall():
                    if con_name:
                        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{con_name}"')
                        rebuild.append(
                            f'ALTER TABLE "{table}" ADD CONSTRAINT "{con_name}" {con_def}'
                        )
                    else:
                        cursor.execute(f'DROP INDEX "{index_name}"')
                        rebuild.append(index_def)
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
                for index_name, index_sql in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{index_name}"')
                    rebuild.append(index_sql)
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET maintenance_work_mem = '1GB'")
            for sql in rebuild:
                cursor.execute(sql)
        log(f"  rebuilt {len(rebuild)} indexes in {time.perf_counter() - started:.1f}s")


@contextmanager
def bulk_load_mode() -> Iterator[None]:
    """Skip per-row foreign-key checks while loading rows that are consistent by construction."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Superuser only; turns off the RI triggers for this session.
            cursor.execute("SET session_replication_role = replica")
        else:
            # A large page cache and no rollback journal on disk: a crash
            # mid-load loses a throwaway database, nothing else.
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -200000")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
                cursor.execute("PRAGMA foreign_keys = ON")


# --- generation ------------------------------------------------------------------


def generate(shape: Shape, *, seed: int = 1, log: Log = stderr_log) -> Generated:
    """Fill an empty, migrated database with `shape`. Returns counts and timings."""
    from django.contrib.auth.hashers import make_password
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from hearth.accounts.models import Follow, Mute, User
    from hearth.core.ids import snowflake
    from hearth.feeds.models import FeedEntry
    from hearth.posts.models import Audience, Reaction, ReactionKind

    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    adapt = connection.ops.adapt_datetimefield_value
    now = datetime.now(UTC)

    def phase(name: str, started: float) -> None:
        seconds[name] = round(time.perf_counter() - started, 2)
        log(f"  {name}: {counts.get(name, 0):,} rows in {seconds[name]:.1f}s")

    # People. One precomputed hash for everyone: hashing 10,000 times with
    # Argon2 would take minutes and measure nothing.
    started = time.perf_counter()
    password = make_password(PASSWORD)
    joined = now - timedelta(days=shape.days + 30)
    users = [
        User(
            pk=i + 1,
            username=f"p{i:05d}",
            email=f"p{i:05d}@bench.invalid",
            password=password,
            display_name=f"Person {i}",
            date_joined=joined,
        )
        for i in range(shape.people)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    counts["people"] = len(users)
    phase("people", started)
    ids = [u.pk for u in users]
    # Popularity rank r is user id r + 1; the top account is active, the
    # other active people are drawn at random, so popularity and activity
    # are otherwise independent.
    top_id = ids[0]
    active_ids = sorted({top_id, *rng.sample(ids[1:], shape.active - 1)})

    # Follows, all accepted: followers of each account drawn uniformly from everyone else.
    started = time.perf_counter()
    in_degree, exponent = follower_counts(shape)
    follows: list[tuple[int, int]] = []
    for rank, degree in enumerate(in_degree):
        followee = ids[rank]
        for j in rng.sample(range(shape.people - 1), degree):
            follows.append((ids[j if j < rank else j + 1], followee))
    follow_time = adapt(now - timedelta(days=shape.days + 1))
    with bulk_load_mode(), transaction.atomic(), indexes_dropped(["accounts_follow"], log):
        counts["follows"] = load_rows(
            "accounts_follow",
            ["follower_id", "followee_id", "state", "created_at"],
            ((a, b, Follow.State.ACCEPTED.value, follow_time) for a, b in follows),
        )
    phase("follows", started)

    # A few people mute someone they follow: the home feed leaves those posts out.
    started = time.perf_counter()
    muters: dict[int, int] = {}
    for follower, followee in rng.sample(follows, min(len(follows), shape.people)):
        if len(muters) >= round(shape.people * shape.muting_share):
            break
        muters.setdefault(follower, followee)
    with transaction.atomic():
        counts["mutes"] = load_rows(
            "accounts_mute",
            ["muter_id", "muted_id", "created_at"],
            [(a, b, follow_time) for a, b in muters.items()],
        )
    phase("mutes", started)

    # Posts in time order, so their snowflake ids sort by time as real ones do.
    started = time.perf_counter()
    pool = _texts(rng, 400)
    end = now.timestamp() - 3600
    start = end - shape.days * 86400
    step = max(0.002, (end - start) / shape.posts)
    recent: list[tuple[int, int]] = []  # (post id, thread root id)
    post_ids: list[int] = []
    cw_share = shape.content_warning_share
    reactions: list[tuple[int, int, str, Any]] = []
    kinds = [k.value for k in ReactionKind]

    def post_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(shape.posts):
            at = start + i * step
            pid = snowflake(at=at)
            author = rng.choice(active_ids)
            text, html = pool[rng.randrange(len(pool))]
            parent = root = None
            if recent and rng.random() < shape.reply_share:
                parent, root = recent[rng.randrange(len(recent))]
            audience = (
                Audience.FOLLOWERS.value
                if rng.random() < shape.followers_only_share
                else Audience.PUBLIC.value
            )
            created = adapt(datetime.fromtimestamp(at, UTC))
            post_ids.append(pid)
            recent.append((pid, root or pid))
            if len(recent) > 500:
                recent.pop(0)
            if rng.random() < shape.reactions_per_post:
                reactions.append((pid, rng.choice(active_ids), rng.choice(kinds), created))
            yield (
                pid,
                author,
                text,
                html,
                "A hard day" if rng.random() < cw_share else "",
                rng.choice(TONES),
                audience,
                parent,
                root or pid,
                created,
            )

    with bulk_load_mode(), transaction.atomic(), indexes_dropped(["posts_post"], log):
        counts["posts"] = load_rows(
            "posts_post",
            [
                "id",
                "author_id",
                "text",
                "html",
                "content_warning",
                "tone",
                "audience",
                "in_reply_to_id",
                "thread_root_id",
                "created_at",
            ],
            post_rows(),
        )
    phase("posts", started)

    started = time.perf_counter()
    with bulk_load_mode(), transaction.atomic():
        counts["reactions"] = load_rows(
            "posts_reaction", ["post_id", "user_id", "kind", "created_at"], reactions
        )
    phase("reactions", started)

    # Home feeds: what feed_fanout would have written for each post.
    started = time.perf_counter()
    fanned = [Audience.PUBLIC.value, Audience.FOLLOWERS.value]
    sql = """
        INSERT INTO feeds_feedentry (owner_id, post_id, author_id)
        SELECT owner_id, post_id, author_id FROM (
            SELECT p.author_id AS owner_id, p.id AS post_id, p.author_id AS author_id
            FROM posts_post p
            WHERE p.id >= %s AND p.id <= %s AND p.deleted_at IS NULL AND p.audience IN (%s, %s)
            UNION ALL
            SELECT f.follower_id, p.id, p.author_id
            FROM posts_post p
            JOIN accounts_follow f ON f.followee_id = p.author_id AND f.state = %s
            WHERE p.id >= %s AND p.id <= %s AND p.deleted_at IS NULL AND p.audience IN (%s, %s)
        ) AS fanout
    """
    total = 0
    with (
        bulk_load_mode(),
        transaction.atomic(),
        indexes_dropped(["feeds_feedentry"], log),
        connection.cursor() as cursor,
    ):
        for k in range(0, len(post_ids), FEED_CHUNK_POSTS):
            lo, hi = post_ids[k], post_ids[min(k + FEED_CHUNK_POSTS, len(post_ids)) - 1]
            cursor.execute(sql, [lo, hi, *fanned, Follow.State.ACCEPTED.value, lo, hi, *fanned])
            total += cursor.rowcount
    counts["feed_entries"] = total
    phase("feed_entries", started)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [User, Follow, Mute, Reaction, FeedEntry]
        ):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            # What autovacuum would do after a load this size; without it the
            # planner has no statistics and index-only scans cannot be used.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    phase("analyze", started)

    result = Generated(
        shape=shape,
        counts=counts,
        seconds=seconds,
        top_user_id=top_id,
        top_followers=in_degree[0],
        active_ids=active_ids,
        follow_exponent=round(exponent, 4),
    )
    result.checked_posts = check_fanout_consistency([*rng.sample(post_ids, 5), post_ids[-1]])
    return result


def check_fanout_consistency(post_ids: Sequence[int]) -> int:
    """Assert that each post's feed entries are exactly the owners feed_fanout would pick."""
    from hearth.feeds.models import FeedEntry
    from hearth.feeds.services import _followers_meant_for
    from hearth.posts.models import Post

    for post in Post.objects.filter(pk__in=post_ids):
        followers = _followers_meant_for(post).values_list("follower_id", flat=True)
        expected = {post.author_id, *followers}
        actual = set(FeedEntry.objects.filter(post=post).values_list("owner_id", flat=True))
        if expected != actual:
            raise AssertionError(
                f"post {post.pk}: {len(actual)} feed entries, "
                f"feed_fanout would write {len(expected)}"
            )
    return len(post_ids)


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--db", choices=ENGINES, default="sqlite")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--posts", type=int, default=None, help="override the post count")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--pg-db", default=DEFAULT_PG_DB)
    parser.add_argument("--keep", action="store_true", help="keep the database and print its env")
    args = parser.parse_args(argv)
    shape = Shape.at_scale(args.scale, posts=args.posts)
    with throwaway(args.db, pg_server=args.pg_server, pg_db=args.pg_db, keep=args.keep) as db:
        django_setup(db.env)
        stderr_log(f"migrate: {migrate():.1f}s")
        started = time.perf_counter()
        generated = generate(shape, seed=args.seed)
        stderr_log(f"generated in {time.perf_counter() - started:.1f}s: {generated.counts}")
        stderr_log(
            f"top account id {generated.top_user_id} has {generated.top_followers} followers; "
            f"follower exponent {generated.follow_exponent}"
        )
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"HEARTH_DATA_DIR={db.data_dir}")
            if db.database_url:
                print(f"HEARTH_DATABASE_URL={db.database_url}")
            print(f"password for every person: {PASSWORD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
