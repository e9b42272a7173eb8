"""Load generators for loopback HTTP benchmarks: wrk, and a small asyncio client.

wrk (Debian's `wrk`, C, epoll) drives the closed-loop throughput runs: N
keep-alive connections, each sending its next request as soon as the
previous answer arrives, for a bounded time. It costs far less CPU than any
Python client, which matters when client and server share two cores.

The asyncio client does the paced (open-loop) run: requests are scheduled
at a fixed rate whatever the server does, and each latency is measured from
the request's scheduled time, so queueing behind a slow answer is counted
(no coordinated omission). It also stands in for wrk when wrk is missing.

Only 127.0.0.1 is ever a target, and every loop is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
WRK_SCRIPT = Path(__file__).with_name("wrk_session.lua")
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class LoadResult:
    tool: str
    path: str
    mode: str  # "closed" (N connections flat out) or "paced" (fixed arrival rate)
    connections: int
    duration_s: float
    requests: int
    errors: int
    non200: int
    rps: float
    mean_ms: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    target_rps: float | None = None
    cpu: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- CPU accounting -----------------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds used) for every process we can read."""
    table: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return table


def tree_cpu(root_pid: int) -> float:
    """CPU seconds used so far by `root_pid` and its live descendants."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, [root_pid]
    while stack:
        pid = stack.pop()
        if pid in table:
            total += table[pid][1]
        stack.extend(children.get(pid, []))
    return total


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    total = sum(parts[:8])
    return (total - idle) / CLK_TCK, total / CLK_TCK


class CpuWindow:
    """CPU used during a run by the server tree, the load generator and everything else."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid

    def __enter__(self) -> CpuWindow:
        self._wall = time.perf_counter()
        self._machine = _machine_cpu()
        self._server = tree_cpu(self.server_pid) if self.server_pid else 0.0
        self._children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._self = resource.getrusage(resource.RUSAGE_SELF)
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self._wall
        busy0, total0 = self._machine
        busy1, total1 = _machine_cpu()
        server = (tree_cpu(self.server_pid) if self.server_pid else 0.0) - self._server
        ch = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = resource.getrusage(resource.RUSAGE_SELF)
        loadgen = (
            ch.ru_utime + ch.ru_stime - self._children.ru_utime - self._children.ru_stime
        ) + (me.ru_utime + me.ru_stime - self._self.ru_utime - self._self.ru_stime)
        busy = busy1 - busy0
        # Cores busy on average over the run, out of os.cpu_count().
        self.result = {
            "wall_s": round(wall, 2),
            "machine_busy_cores": round(busy / wall, 2),
            "server_cores": round(server / wall, 2),
            "loadgen_cores": round(loadgen / wall, 2),
            "other_cores": round(max(0.0, busy - server - loadgen) / wall, 2),
            "machine_busy_share": round(busy / max(1e-9, total1 - total0), 3),
        }


# --- wrk ----------------------------------------------------------------------------


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    *,
    port: int,
    path: str,
    duration: int,
    connections: int,
    cookie_file: Path | None = None,
    threads: int = 1,
    server_pid: int | None = None,
) -> LoadResult:
    """Closed loop: `connections` keep-alive connections flat out for `duration` seconds."""
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        f"http://{HOST}:{port}{path}",
        "--",
        str(cookie_file) if cookie_file else "",
    ]
    with CpuWindow(server_pid) as cpu:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return LoadResult(
        tool="wrk",
        path=path,
        mode="closed",
        connections=connections,
        duration_s=round(seconds, 2),
        requests=raw["requests"],
        errors=errors,
        non200=raw["non200"],
        rps=round(raw["requests"] / seconds, 1),
        mean_ms=round(raw["mean_us"] / 1000, 2),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p90_ms=round(raw["p90_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        max_ms=round(raw["max_us"] / 1000, 2),
        cpu=cpu.result,
    )


# --- asyncio client ---------------------------------------------------------------------


def request_bytes(port: int, path: str, cookie: str | None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", "User-Agent: hearth-bench"]
    if cookie:
        lines.append(f"Cookie: sessionid={cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    """Send one request on a keep-alive connection and read the whole answer; returns the status."""
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


def _summary(
    latencies: list[float], *, errors: int, non200: int, seconds: float
) -> dict[str, float | int]:
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(len(lat) * p / 100))] * 1000, 2) if lat else 0.0

    return {
        "requests": len(lat),
        "errors": errors,
        "non200": non200,
        "duration_s": round(seconds, 2),
        "rps": round(len(lat) / seconds, 1),
        "mean_ms": round(sum(lat) / len(lat) * 1000, 2) if lat else 0.0,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": round(lat[-1] * 1000, 2) if lat else 0.0,
    }


async def _paced(
    port: int, requests: Sequence[bytes], rate: float, duration: float, connections: int
) -> dict[str, float | int]:
    loop = asyncio.get_running_loop()
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(None)
    latencies: list[float] = []
    counters = {"errors": 0, "non200": 0}
    pending: set[asyncio.Task[None]] = set()

    async def one(scheduled: float, raw: bytes) -> None:
        conn = await pool.get()
        try:
            if conn is None:
                conn = await asyncio.open_connection(HOST, port)
            status = await asyncio.wait_for(_exchange(*conn, raw), timeout=10)
            latencies.append(loop.time() - scheduled)
            if status != 200:
                counters["non200"] += 1
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            counters["errors"] += 1
            if conn is not None:
                conn[1].close()
            conn = None
        finally:
            pool.put_nowait(conn)

    start = loop.time()
    i = 0
    while True:
        scheduled = start + i / rate
        if scheduled - start >= duration:
            break
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = loop.create_task(one(scheduled, requests[i % len(requests)]))
        pending.add(task)
        task.add_done_callback(pending.discard)
        i += 1
    if pending:
        await asyncio.wait(pending, timeout=15)
    seconds = loop.time() - start
    while not pool.empty():
        conn = pool.get_nowait()
        if conn is not None:
            conn[1].close()
    return _summary(latencies, seconds=seconds, **counters)


async def _closed(
    port: int, requests: Sequence[bytes], duration: float, connections: int
) -> dict[str, float | int]:
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    counters = {"errors": 0, "non200": 0}
    deadline = loop.time() + duration

    async def worker(offset: int) -> None:
        conn = await asyncio.open_connection(HOST, port)
        i = offset
        while loop.time() < deadline:
            sent = loop.time()
            try:
                status = await asyncio.wait_for(_exchange(*conn, requests[i % len(requests)]), 10)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                counters["errors"] += 1
                conn[1].close()
                conn = await asyncio.open_connection(HOST, port)
                continue
            latencies.append(loop.time() - sent)
            counters["non200"] += status != 200
            i += 1
        conn[1].close()

    start = loop.time()
    await asyncio.gather(*(worker(k) for k in range(connections)))
    return _summary(latencies, seconds=loop.time() - start, **counters)


def run_python(
    *,
    port: int,
    path: str,
    duration: float,
    connections: int,
    cookies: Sequence[str] = (),
    rate: float | None = None,
    server_pid: int | None = None,
) -> LoadResult:
    """Paced at `rate` requests/s if given, else closed loop like wrk."""
    raws = [request_bytes(port, path, c) for c in cookies] or [request_bytes(port, path, None)]
    with CpuWindow(server_pid) as cpu:
        if rate:
            summary = asyncio.run(_paced(port, raws, rate, duration, connections))
        else:
            summary = asyncio.run(_closed(port, raws, duration, connections))
    return LoadResult(
        tool="python-asyncio",
        path=path,
        mode="paced" if rate else "closed",
        connections=connections,
        target_rps=rate,
        cpu=cpu.result,
        **summary,  # type: ignore[arg-type]
    )
