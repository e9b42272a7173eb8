"""Run `hearth serve` (granian, WSGI) on a loopback port for the length of a benchmark."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from bench.dbenv import REPO

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Server:
    pid: int
    port: int
    command: list[str]
    log_path: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def hearth_command() -> list[str]:
    """The `hearth` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("hearth")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hearth.cli"]


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hearth serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"hearth serve did not answer /healthz on port {port} in {timeout}s")


@contextmanager
def hearth_serve(
    env: dict[str, str], *, workers: int, threads: int, log_path: Path
) -> Iterator[Server]:
    """Start `hearth serve` in its own process group; stop that group (and only it) afterwards."""
    port = free_port()
    command = [
        *hearth_command(),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    log = log_path.open("wb")
    proc = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_ready(port, proc)
        yield Server(pid=proc.pid, port=port, command=command, log_path=log_path)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        # Workers that outlived the main process are still in its group.
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
