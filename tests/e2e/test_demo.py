"""`xhht demo` leaves nothing running when stopped with SIGTERM, and names a port already taken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backend.config import REPO_ROOT
from backend.launcher import free_ports

pytestmark = pytest.mark.e2e


def children_of(pid: int) -> set[int]:
    """Processes whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def demo(tmp_path: Path, base_port: int) -> subprocess.Popen[str]:
    """Start `xhht demo` in its own folder."""
    env = {**os.environ, "XHHT_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "backend.cli", "demo", "--dir", str(tmp_path / "demo")]
    return subprocess.Popen(
        [*command, "--base-port", str(base_port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def consecutive_free_ports(count: int) -> int:
    """A base port with `count` free ports above it (above 20000)."""
    for _ in range(50):
        base = free_ports(1)[0]
        if base > 20000 and all(p < 65536 for p in range(base, base + count)):
            try:
                for port in range(base, base + count):
                    with socket.socket() as sock:
                        sock.bind(("127.0.0.1", port))
                return base
            except OSError:
                continue
    raise RuntimeError("no run of free ports")


def test_sigterm_stops_the_demo_and_every_node(tmp_path: Path):
    base = consecutive_free_ports(6)
    process = demo(tmp_path, base)
    nodes: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        assert process.stdout is not None
        for line in process.stdout:
            nodes |= children_of(process.pid)
            if "Ctrl-C" in line or time.monotonic() > deadline:
                break
        nodes |= children_of(process.pid)
        assert len(nodes) >= 6, "the demo did not start its nodes"
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
        assert process.returncode == 0, output
        assert "all nodes stopped" in output
    finally:
        if process.poll() is None:
            process.kill()
    assert [pid for pid in nodes if alive(pid)] == []
    for port in range(base, base + 6):
        with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_a_taken_port_is_named_with_the_way_out(tmp_path: Path):
    base = consecutive_free_ports(6)
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", base + 2))
        blocker.listen()
        process = demo(tmp_path, base)
        output = process.communicate(timeout=60)[0]
    assert process.returncode == 2
    assert str(base + 2) in output and "--base-port" in output
    assert not (tmp_path / "demo").exists()  # nothing started, nothing cleaned
