"""Throwaway databases and the environment that points Hearth at them.

Every run gets a fresh temporary HEARTH_DATA_DIR (the SQLite file and the
collected static files live there) and, for PostgreSQL, a fresh database on
the local server that is dropped afterwards. The same environment is given
to the in-process measurements and to the `hearth serve` subprocess, so
sessions created in one are valid in the other (same secret key).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_PG_DB = "hearth_bench"
ENGINES = ("sqlite", "postgres")


@dataclass(frozen=True)
class Throwaway:
    engine: str
    data_dir: Path
    env: dict[str, str]
    database_url: str | None


def hearth_env(*, data_dir: Path, database_url: str | None, secret_key: str) -> dict[str, str]:
    """The process environment for Hearth in production mode, minus any inherited HEARTH_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hearth.config.settings",
            "HEARTH_ENV": "production",
            "HEARTH_SECRET_KEY": secret_key,
            "HEARTH_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback; in production a TLS proxy sits in front.
            "HEARTH_SSL_REDIRECT": "0",
            "HEARTH_DATA_DIR": str(data_dir),
            "HEARTH_LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["HEARTH_DATABASE_URL"] = database_url
    # The server imports Hearth from the same tree as the benchmark, even
    # when that tree is a snapshot beside the editable install.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.encode())


@contextmanager
def throwaway(
    engine: str,
    *,
    pg_server: str = DEFAULT_PG_SERVER,
    pg_db: str = DEFAULT_PG_DB,
    keep: bool = False,
) -> Iterator[Throwaway]:
    """Create an empty database for `engine`, yield its environment, then remove it all."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    data_dir = Path(tempfile.mkdtemp(prefix=f"hearth-bench-{engine}-"))
    database_url = None
    if engine == "postgres":
        if not pg_db.replace("_", "").isalnum():
            raise ValueError(f"unsafe database name {pg_db!r}")
        # A run that crashed may have left the database behind.
        _pg_admin(pg_server, f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
        _pg_admin(pg_server, f'CREATE DATABASE "{pg_db}"')
        database_url = f"{pg_server}/{pg_db}"
    env = hearth_env(
        data_dir=data_dir, database_url=database_url, secret_key=secrets.token_urlsafe(48)
    )
    try:
        yield Throwaway(engine=engine, data_dir=data_dir, env=env, database_url=database_url)
    finally:
        if not keep:
            if engine == "postgres":
                _pg_admin(pg_server, f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
            shutil.rmtree(data_dir, ignore_errors=True)


def django_setup(env: dict[str, str]) -> None:
    """Point this process at the throwaway database and start Django (once per process)."""
    for key in [k for k in os.environ if k.startswith("HEARTH_")]:
        del os.environ[key]
    os.environ.update(env)
    import django

    django.setup()
