"""Tally submissions per second through the node vs a bare Litestar route vs raw asyncpg inserts.

Run: uv run python bench/ingest.py [--seconds 10] [--requests 5000] [--concurrency 32]
Needs wrk (Debian package `wrk`) to generate the HTTP load without a Python client in the way;
--profile node.svg also samples the node with py-spy (uv run --with py-spy python bench/ingest.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from subprocess import Popen

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._cpu import CpuMeter, CpuSplit
from bench._nodes import ROOT, free_port, start_node, wait_healthy, xhht
from tests.factories import tally_values
from tests.pg import ThrowawayPostgres, start_postgres

VILLAGES = [
    f"{c}-{i:02d}"
    for c in (
        "23341",
        "23344",
        "23347",
        "23350",
        "23353",
        "23356",
        "23359",
        "23362",
        "23365",
        "23368",
        "23371",
        "23374",
    )
    for i in (1, 2, 3)
]


async def _run_bounded(total: int, concurrency: int, one: object) -> float:
    """Run `one(i)` total times with at most `concurrency` in flight; seconds taken."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            await one(queue.get_nowait())  # type: ignore[operator]

    started = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    return time.perf_counter() - started


WRK_SCRIPT = """
local counter = 0
local villages = {%(villages)s}
local values = '%(values)s'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
math.randomseed(os.time())
request = function()
  counter = counter + 1
  local id = string.format("%%08x-%%04x-4%%03x-8%%03x-%%012x", math.random(0, 2147483647),
    math.random(0, 65535), math.random(0, 4095), math.random(0, 4095), counter)
  local village = villages[(counter %% #villages) + 1]
  local year = 2020 + math.floor(counter / #villages) %% 6
  local body = string.format('{"client_uuid":"%%s","village":"%%s","year":%%d,"values":%%s}',
    id, village, year, values)
  return wrk.format(nil, "/api/tallies", nil, body)
end
"""


@dataclass(frozen=True)
class Load:
    """What wrk reported, and where the CPU went meanwhile."""

    rate: float
    errors: int
    cpu: CpuSplit | None = None


def login(base: str) -> str:
    """An access token for the bench user."""
    answer = httpx.post(
        f"{base}/api/auth/login",
        json={"username": "bench", "password": "ingest-Secret-2026", "device_id": "bench"},
    )
    return str(answer.json()["access_token"])


def http_rate(base: str, seconds: int, concurrency: int, token: str) -> Load:
    """Submissions per second through the API, driven by wrk (a C load generator)."""
    script = Path(tempfile.mkdtemp()) / "tally.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "villages": ", ".join(f'"{v}"' for v in VILLAGES),
            "values": json.dumps(tally_values()),
            "token": token,
        }
    )
    output = subprocess.run(
        ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(rate, int(errors.group(1)) if errors else 0)


def profiled(pid: int, seconds: int, out: str) -> subprocess.Popen[bytes]:
    """py-spy sampling the node while wrk runs (a speedscope/flamegraph file by extension)."""
    fmt = "speedscope" if out.endswith(".json") else "flamegraph"
    command = ["py-spy", "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "500"]
    return subprocess.Popen(
        [*command, "--format", fmt, "--output", out, "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def raw_rate(dsn: str, total: int, concurrency: int) -> float:
    """Concurrent single-row inserts of an equivalent tally row with raw asyncpg."""
    pool = await asyncpg.create_pool(dsn, min_size=concurrency, max_size=concurrency)
    await pool.execute("""CREATE TABLE IF NOT EXISTS bench_raw (
        id bigserial PRIMARY KEY, client_uuid varchar(36) UNIQUE NOT NULL,
        village_code varchar(32) NOT NULL, year int NOT NULL, revision int NOT NULL,
        status varchar(16) NOT NULL, figures json NOT NULL, flags json NOT NULL,
        content_hash varchar(64) NOT NULL, framework_version varchar(32) NOT NULL,
        submitted_by varchar(80) NOT NULL, received_at timestamptz NOT NULL)""")
    figures = json.dumps(tally_values())

    async def one(i: int) -> None:
        await pool.execute(
            "INSERT INTO bench_raw (client_uuid, village_code, year, revision, status, figures,"
            " flags, content_hash, framework_version, submitted_by, received_at)"
            " VALUES ($1,$2,$3,$4,'submitted',$5,'[]',$6,'2026.1','bench',$7)",
            str(uuid.uuid4()),
            VILLAGES[i % len(VILLAGES)],
            2025,
            i,
            figures,
            "0" * 64,
            datetime.now(UTC),
        )

    await _run_bounded(min(200, total), concurrency, one)
    seconds = await _run_bounded(total, concurrency, one)
    await pool.close()
    return total / seconds


def start_node_with_user(server: ThrowawayPostgres, workers: int) -> tuple[Popen[bytes], str, str]:
    """A node on this database with the fixture units and a user; (process, base URL, token)."""
    env = {
        "XHHT_DATABASE_URL": server.url,
        "XHHT_DATA_DIR": tempfile.mkdtemp(prefix="xhht-bench-"),
        "XHHT_RELAY": "0",
    }
    xhht(env, "units", "import", str(ROOT / "shared_schema/fixtures/units-kontum-dakglei.csv"))
    xhht(
        env,
        "users",
        "add",
        "bench",
        "--role",
        "admin",
        "--unit",
        "62",
        "--password-stdin",
        stdin="ingest-Secret-2026\n",
    )
    port = free_port()
    node = start_node(env, port, workers)
    base = f"http://127.0.0.1:{port}"
    return node, base, login(base)


def start_bare(server: ThrowawayPostgres) -> tuple[Popen[bytes], str]:
    """The bare Litestar route in its own uvicorn process; (process, base URL)."""
    port = free_port()
    dsn = server.url.replace("postgresql+asyncpg", "postgresql")
    command = [sys.executable, str(ROOT / "bench/bare_route.py"), str(port), dsn]
    bare = wait_healthy(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL), port)
    return bare, f"http://127.0.0.1:{port}"


def measured(
    process: Popen[bytes],
    base: str,
    token: str,
    data_dir: Path,
    args: argparse.Namespace,
    spy: str = "",
) -> Load:
    """One wrk run against a server, with the CPU it, PostgreSQL and wrk spent per request."""
    profiler = profiled(process.pid, args.seconds, spy) if spy else None
    meter = CpuMeter(process.pid, data_dir)
    load = http_rate(base, args.seconds, args.concurrency, token)
    cpu = meter.per_request(load.rate * args.seconds)
    if profiler is not None:
        profiler.wait(30)
    return Load(load.rate, load.errors, cpu)


def best(loads: list[Load]) -> Load:
    """The fastest round: on a shared machine the others lost time to neighbours."""
    return max(loads, key=lambda load: load.rate)


def report(args: argparse.Namespace, node: Load, bare: Load, raw: float) -> None:
    """Print the three rates, both ratios and the CPU each HTTP request cost."""
    print(
        f"concurrency {args.concurrency}; best of {args.rounds} rounds, each: wrk for "
        f"{args.seconds}s against {args.workers} node process(es) ({node.errors} non-2xx), "
        f"then against one bare-route process ({bare.errors} non-2xx), then {args.requests} "
        "raw inserts from asyncpg"
    )
    print(f"raw asyncpg single-row inserts/s:                            {raw:8.0f}")
    print(f"bare Litestar route + asyncpg insert/s:                      {bare.rate:8.0f}")
    print(f"node tally submissions/s (auth, validation, idempotency, …): {node.rate:8.0f}")
    print(f"ratio HTTP / raw:        {node.rate / raw:.2f}  (target >= 0.2)")
    print(f"ratio HTTP / bare route: {node.rate / bare.rate:.2f}  (target >= 0.5)")
    if node.cpu and bare.cpu:
        print(f"CPU, node:       {node.cpu.line()}")
        print(f"CPU, bare route: {bare.cpu.line()}")
        print(f"CPU ratio bare / node: {bare.cpu.total / node.cpu.total:.2f}")


def rounds(server: ThrowawayPostgres, args: argparse.Namespace) -> None:
    """Alternate node, bare route and raw inserts so that noise falls on all three alike."""
    node, node_base, token = start_node_with_user(server, args.workers)
    bare, bare_base = start_bare(server)
    data_dir = server.root / "data"
    dsn = server.url.replace("postgresql+asyncpg", "postgresql")
    nodes, bares, raws = [], [], []
    try:
        for index in range(args.rounds):
            spy = args.profile if args.profile and index == 0 else ""
            nodes.append(measured(node, node_base, token, data_dir, args, spy))
            bares.append(measured(bare, bare_base, "none", data_dir, args))
            raws.append(asyncio.run(raw_rate(dsn, args.requests, args.concurrency)))
    finally:
        for process in (node, bare):
            process.terminate()
            process.wait(10)
    report(args, best(nodes), best(bares), max(raws))


def main() -> None:
    """Start PostgreSQL, a node and a bare route; measure the three rates in one run."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="node processes")
    parser.add_argument("--profile", help="py-spy output (.svg or .json), node's first round")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("install wrk (Debian package) to drive the HTTP load")
    if args.profile and shutil.which("py-spy") is None:
        raise SystemExit("--profile needs py-spy: uv run --with py-spy python bench/ingest.py …")
    server = start_postgres()
    if server is None:
        raise SystemExit("PostgreSQL binaries not found")
    try:
        rounds(server, args)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
