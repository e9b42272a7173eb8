"""Ids that sort by creation time, as Mastodon's do.

A 64-bit id: milliseconds since the Unix epoch in the high 48 bits, then 16
bits that keep ids made in the same millisecond apart (a per-process counter
mixed with random bits, so processes on many machines rarely collide and the
database's primary key catches the rare case). Sorting by id sorts by time,
so keyset pagination and "newer than the marker" need only the id index.
"""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import datetime

_counter = itertools.count(secrets.randbelow(1 << 10))
_process_bits = secrets.randbelow(1 << 6) << 10


def snowflake(at: float | None = None) -> int:
    """Return a new time-sortable id; `at` (epoch seconds) back-dates it."""
    millis = int((time.time() if at is None else at) * 1000)
    return (millis << 16) | _process_bits | (next(_counter) & 0x3FF)


def snowflake_floor(when: datetime) -> int:
    """The smallest id that could have been made at `when`."""
    return int(when.timestamp() * 1000) << 16


def snowflake_time(ident: int) -> float:
    """Epoch seconds at which `ident` was made."""
    return (ident >> 16) / 1000
