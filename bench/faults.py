"""Longer seeded fault schedules over seven node processes, on SQLite or PostgreSQL.

Run: `uv run python bench/faults.py [--seeds 5] [--steps 200] [--postgres] [--seed N]`
Each seed starts a fresh federation (province, two districts, four commune nodes), runs the
schedule of tests/fault_schedule.py (SIGKILL and restart, SIGSTOP/SIGCONT, kill right after an
acknowledgement, duplicate, concurrent and revised tallies), then prints what every level shows
against the client's ground truth and how long after the last fault the views converged
(target < 30 s). With --postgres each node gets a database on a throwaway server and two workers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.launcher import Federation, NodeSpec, free_ports
from tests.fault_schedule import TOPOLOGY, Outcome, run_schedule
from tests.pg import start_postgres


async def _autocommit(url: str, statements: list[str]) -> None:
    """CREATE/DROP DATABASE outside a transaction."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        for sql in statements:
            await conn.exec_driver_sql(sql)
    await engine.dispose()


async def one_seed(root: Path, seed: int, steps: int, server_url: str | None) -> Outcome:
    """A fresh federation, one schedule, everything stopped afterwards."""
    ports = free_ports(len(TOPOLOGY))
    nodes = {u: NodeSpec(u, p, port) for (u, p), port in zip(TOPOLOGY, ports, strict=True)}
    names = {u: f"faults_{u}_{uuid.uuid4().hex[:8]}" for u in nodes} if server_url else {}
    if server_url:
        await _autocommit(server_url, [f"CREATE DATABASE {n}" for n in names.values()])
    base = server_url.rsplit("/", 1)[0] if server_url else ""
    fed = Federation(
        root / f"seed-{seed}",
        nodes,
        env={"XHHT_PULL_INTERVAL": "1"},
        database_urls={u: f"{base}/{n}" for u, n in names.items()},
        workers=2 if server_url else 1,
        process_groups=True,
        start_timeout=300.0,  # seven nodes, three processes each on PostgreSQL, on a busy machine
    )
    try:
        await fed.up()
        return await run_schedule(fed, seed, steps, timeout=300.0)
    finally:
        fed.stop_all()
        if server_url:
            await _autocommit(
                server_url, [f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in names.values()]
            )


async def main(seeds: list[int], steps: int, postgres: bool) -> int:
    """Every seed in turn; a table of the outcomes; exit 1 when any level disagreed."""
    server = start_postgres() if postgres else None
    if postgres and server is None:
        print("PostgreSQL binaries not found", file=sys.stderr)
        return 1
    outcomes = []
    try:
        with tempfile.TemporaryDirectory(prefix="xhht-faults-") as tmp:
            for seed in seeds:
                url = server.url if server is not None else None
                outcomes.append(await one_seed(Path(tmp), seed, steps, url))
    finally:
        if server is not None:
            server.stop()
    database = "PostgreSQL, 2 workers per node" if postgres else "SQLite, 1 worker per node"
    print(f"\n{len(seeds)} seeds × {steps} steps on {database}:")
    print("seed     tallies  faults  lost  stale  double  converged after last fault")
    for o in outcomes:
        converged = "never" if o.convergence_s is None else f"{o.convergence_s:.1f} s"
        faults = sum(o.faults.values())
        print(
            f"{o.seed:<8} {o.acknowledged:>7} {faults:>7} {o.lost:>5} {o.stale:>6} "
            f"{o.double_counted:>7}  {converged}"
        )
    times = [o.convergence_s for o in outcomes if o.convergence_s is not None]
    if times:
        print(f"convergence: max {max(times):.1f} s, mean {sum(times) / len(times):.1f} s")
    failed = [o for o in outcomes if o.mismatches or o.convergence_s is None]
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="how many random seeds")
    parser.add_argument("--seed", type=int, action="append", help="replay these seeds")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    chosen = args.seed or [random.SystemRandom().randrange(1, 10**6) for _ in range(args.seeds)]
    raise SystemExit(asyncio.run(main(chosen, args.steps, args.postgres)))
