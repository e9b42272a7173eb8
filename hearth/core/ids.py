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
import threading
import time
from datetime import datetime

_counter = itertools.count(secrets.randbelow(1 << 10))
_process_bits = secrets.randbelow(1 << 6) << 10
_SEQUENCE = 0x3FF

_lock = threading.Lock()
_last_millis = 0
_last_sequence = 0


def snowflake(at: float | None = None) -> int:
    """Return a new time-sortable id; `at` (epoch seconds) back-dates it.

    Ids made "now" in one process strictly increase, even when many fall in
    one millisecond or the clock steps back: within a millisecond the
    sequence counts up, and past 1,024 ids it borrows the next millisecond.
    Back-dated ids (demo data, imports) only need to be unique.
    """
    if at is not None:
        return (int(at * 1000) << 16) | _process_bits | (next(_counter) & _SEQUENCE)
    global _last_millis, _last_sequence
    millis = int(time.time() * 1000)
    with _lock:
        if millis > _last_millis:
            # A random start keeps processes that drew the same bits apart.
            _last_millis, _last_sequence = millis, secrets.randbelow(1 << 9)
        elif _last_sequence < _SEQUENCE:
            _last_sequence += 1
        else:
            _last_millis, _last_sequence = _last_millis + 1, 0
        return (_last_millis << 16) | _process_bits | _last_sequence


def snowflake_floor(when: datetime) -> int:
    """The smallest id that could have been made at `when`."""
    return int(when.timestamp() * 1000) << 16


def snowflake_time(ident: int) -> float:
    """Epoch seconds at which `ident` was made."""
    return (ident >> 16) / 1000
