"""Resident memory of an idle node (target < 90 MB) on SQLite and on PostgreSQL, then after a few
typical requests (login, framework, unit and federation status), and what the resident part is made
of: each library's share, measured by importing the node's dependencies in stages.

Run: `uv run python bench/memory.py` (about 30–60 s; PostgreSQL only when its binaries are found).
`--sqlite-only --no-breakdown` is the small run the test suite keeps working.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._nodes import ROOT, free_port, start_node, xhht

TARGET_MB = 90.0
YEAR = 2025
UNITS_CSV = ROOT / "shared_schema" / "fixtures" / "units-kontum-dakglei.csv"
PASSWORD = "memory-bench-password"

# cumulative: each stage imports everything above it too, in a fresh interpreter
STAGES: list[tuple[str, str]] = [
    ("Python itself", "pass"),
    (
        "standard library the node uses",
        "import asyncio, email.message, json, logging, ssl, decimal, uuid, dataclasses, typing, "
        "inspect, csv, hashlib, hmac, secrets, zoneinfo, mimetypes, argparse, sqlite3",
    ),
    ("msgspec", "import msgspec"),
    (
        "SQLAlchemy (core, asyncio, orm) + drivers",
        "import sqlalchemy.ext.asyncio, aiosqlite, asyncpg",
    ),
    (
        "SQLAlchemy dialects (sqlite, postgresql)",
        "import sqlalchemy.dialects.postgresql.asyncpg, sqlalchemy.dialects.sqlite.aiosqlite",
    ),
    ("Litestar (+ its OpenAPI machinery)", "import litestar, litestar.openapi"),
    (
        "uvicorn + uvloop + httptools",
        "import uvicorn, uvloop, httptools, "
        "uvicorn.protocols.http.httptools_impl, uvicorn.loops.uvloop, uvicorn.lifespan.on",
    ),
    ("PyJWT + cryptography", "import jwt"),
    ("prometheus_client, argon2, PyYAML", "import prometheus_client, argon2, yaml"),
    ("the node's own modules (backend, shared_schema)", "import backend.cli, backend.web.app"),
]


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare(env: dict[str, str]) -> None:
    """A node with the Đắk Glei units and one admin user (migrated by the first command)."""
    xhht(env, "units", "import", str(UNITS_CSV))
    xhht(
        env,
        *("users", "add", "admin", "--role", "admin", "--unit", "62", "--password-stdin"),
        stdin=f"{PASSWORD}\n",
    )


def typical_requests(base: str) -> None:
    """What an officer's first minute costs: login, the framework, two status views."""
    with httpx.Client(base_url=base, timeout=30) as http:
        login = http.post(
            "/api/auth/login",
            json={"username": "admin", "password": PASSWORD, "device_id": "memory-bench"},
        )
        login.raise_for_status()
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for path in ("/api/framework", "/api/units/62/status", "/api/federation/status"):
            answer = http.get(path, params={"year": YEAR}, headers=auth)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} → {answer.status_code} {answer.text[:300]}")


def measure(label: str, env: dict[str, str], settle: float) -> tuple[float, float]:
    """Idle and after-requests VmRSS of one node process."""
    prepare(env)
    port = free_port()
    node = start_node(env, port)
    try:
        time.sleep(settle)
        idle = rss_mb(node.pid)
        typical_requests(f"http://127.0.0.1:{port}")
        time.sleep(1)
        loaded = rss_mb(node.pid)
    finally:
        node.terminate()
        node.wait(10)
    verdict = "met" if idle < TARGET_MB else "NOT met"
    print(
        f"  {label:<11} idle {idle:6.1f} MB (target < {TARGET_MB:.0f} MB: {verdict});  "
        f"after login + status views {loaded:6.1f} MB",
        flush=True,
    )
    return idle, loaded


def node_env(database_url: str = "") -> dict[str, str]:
    """A fresh data dir; the relay off (no parent)."""
    env = {"XHHT_DATA_DIR": tempfile.mkdtemp(prefix="xhht-mem-"), "XHHT_RELAY": "0"}
    if database_url:
        env["XHHT_DATABASE_URL"] = database_url
    return env


def measure_postgres(settle: float) -> None:
    """The same on a throwaway PostgreSQL, when its binaries are installed."""
    from tests.pg import start_postgres

    server = start_postgres()
    if server is None:
        print("  PostgreSQL  skipped (no initdb found)")
        return
    try:
        measure("PostgreSQL", node_env(server.url), settle)
    finally:
        server.stop()


def stage_rss(code: str) -> float:
    """VmRSS of a fresh interpreter after running code (garbage collected)."""
    probe = (
        f"{code}\nimport gc; gc.collect()\n"
        "print([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024


def bytecode_cached() -> str:
    """Whether imports read cached bytecode (the Docker image compiles it) or compile the source."""
    libraries = Path(importlib.util.cache_from_source(httpx.__file__)).exists()
    node = Path(importlib.util.cache_from_source(str(ROOT / "backend" / "cli.py"))).exists()
    return f"libraries {'yes' if libraries else 'no'}, node {'yes' if node else 'no'}"


def breakdown() -> None:
    """Each dependency's share of the resident memory, imported in the node's order."""
    print("what an idle node holds (cumulative imports in a fresh interpreter):", flush=True)
    code, previous = "", 0.0
    for name, statement in STAGES:
        code += statement + "\n"
        total = stage_rss(code)
        print(f"  {name:<50} +{total - previous:5.1f} MB   = {total:5.1f} MB", flush=True)
        previous = total
    print("  (the rest of an idle node: the built app and its API document, the framework,")
    print("   the database pool, threads and allocator slack)")


def main(argv: list[str] | None = None) -> None:
    """Parse options and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds idle before reading")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--no-breakdown", action="store_true")
    args = parser.parse_args(argv)
    print(
        f"idle node resident memory (VmRSS), load {os.getloadavg()[0]:.2f}, "
        f"bytecode caches: {bytecode_cached()}",
        flush=True,
    )
    measure("SQLite", node_env(), args.settle)
    if not args.sqlite_only:
        measure_postgres(args.settle)
    if not args.no_breakdown:
        breakdown()


if __name__ == "__main__":
    main()
