"""Snowflake ids: everything that pages or replays by id relies on their order."""

from __future__ import annotations

import itertools
import threading

from hearth.core.ids import snowflake, snowflake_time


def test_ids_made_in_a_burst_strictly_increase() -> None:
    # Far more than 1,024 per millisecond: the sequence must carry over
    # instead of wrapping to a smaller id (a reconnecting client would then
    # miss the event, and keyset pages would skip a post).
    ids = [snowflake() for _ in range(20_000)]
    assert all(a < b for a, b in itertools.pairwise(ids))


def test_ids_from_many_threads_are_unique() -> None:
    found: list[list[int]] = [[] for _ in range(4)]

    def make(into: list[int]) -> None:
        into.extend(snowflake() for _ in range(5_000))

    threads = [threading.Thread(target=make, args=(bucket,)) for bucket in found]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for bucket in found for i in bucket]
    assert len(set(every)) == len(every)
    for bucket in found:
        assert bucket == sorted(bucket)


def test_back_dated_ids_carry_their_time() -> None:
    assert abs(snowflake_time(snowflake(at=1_700_000_000.0)) - 1_700_000_000.0) < 0.001
