"""Helpers for benchmarks: free ports, a node subprocess on 127.0.0.1, waiting for health."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def xhht(env: dict[str, str], *args: str, stdin: str = "") -> None:
    """Run one xhht CLI command with this node's environment (stdin: e.g. a password)."""
    subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        input=stdin.encode(),
    )


def start_node(env: dict[str, str], port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    """Start `xhht serve` and wait until /health answers."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    return wait_healthy(process, port)


def wait_healthy(process: subprocess.Popen[bytes], port: int) -> subprocess.Popen[bytes]:
    """The process once its /health answers on 127.0.0.1:port; killed if it never does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")
