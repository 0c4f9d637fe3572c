"""Propagation over 3 hops (commune node → district node → province node) and outbox drain.

Run: `uv run python bench/propagation.py [--samples 20] [--queued 1000]`
Prints p50/p95 of "village submit at the commune node → visible in the province's federation
view", and how long 1,000 queued snapshots take to drain once the parent comes back.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.core.snapshots import UnitFacts, VillageTally, fold_unit, stamp
from backend.db.database import Database
from backend.db.repositories import snapshots as snapshot_repo
from backend.demo import plausible_tally
from backend.launcher import Federation, NodeSpec, free_ports
from backend.services import outbox
from shared_schema.framework_loader import load_framework

TOPOLOGY = [("62", None), ("610", "62"), ("23353", "610")]
DISTRICT_UNITS = ["610", *[f"233{n}" for n in range(41, 75, 3) if f"233{n}" != "23353"]]


async def one_sample(fed: Federation, http: httpx.AsyncClient, tokens: dict[str, str], i: int):
    """Seconds from a tally's 201 at the commune node to its figure at the province."""
    values = plausible_tally(random.Random(i))
    values["households_total"] = 10_000 + i
    values["families_registered"] = min(values["families_registered"], values["households_total"])
    body = {"client_uuid": str(uuid.uuid4()), "village": "23353-01", "year": 2025, "values": values}
    started = time.perf_counter()
    answer = await http.post(
        f"{fed.nodes['23353'].url}/api/tallies", json=body, headers=tokens["23353"]
    )
    answer.raise_for_status()
    while True:
        view = await http.get(
            f"{fed.nodes['62'].url}/api/federation/status",
            params={"year": 2025, "level": "commune", "q": "23353"},
            headers=tokens["62"],
        )
        if view.json()[0]["totals"].get("households_total") == 10_000 + i:
            return time.perf_counter() - started
        await asyncio.sleep(0.02)


def synthetic_backlog(count: int) -> list:
    """`count` distinct (unit, year) snapshots of the district node's units."""
    framework, now = load_framework(), datetime.now(UTC)
    found = []
    year = 2025
    while len(found) < count:
        for unit in DISTRICT_UNITS:
            level = "district" if unit == "610" else "commune"
            tallies = [
                VillageTally(f"{unit}-01", plausible_tally(random.Random(year)), "submitted", now)
            ]
            facts = UnitFacts(unit, level, "62" if unit == "610" else "610", year, 1, 0)
            snap = stamp(fold_unit(framework, facts, tallies, []), "610", None, now)
            found.append(snap)
        year -= 1
    return found[:count]


async def drain(fed: Federation, queued: int) -> tuple[float, float]:
    """Stop the province, queue snapshots at the district, restart: (to healthy, to drained)."""
    fed.stop("62")
    db = Database.from_url(fed.settings("610").database_url)
    try:
        async with db.write() as conn:
            for snap in synthetic_backlog(queued):
                await snapshot_repo.keep(conn, snap, "", datetime.now(UTC))
                await snapshot_repo.enqueue(conn, snap, datetime.now(UTC))
        print(f"queued: {await outbox.pending(db)} snapshots waiting at the district node")
        started = time.perf_counter()
        fed.start("62")
        await fed.wait_healthy(["62"])
        healthy = time.perf_counter() - started
        while await outbox.pending(db):
            await asyncio.sleep(0.1)
        return healthy, time.perf_counter() - started
    finally:
        await db.dispose()


async def main(samples: int, queued: int) -> None:
    """Start the three nodes, measure, stop them."""
    with tempfile.TemporaryDirectory() as root:
        ports = free_ports(len(TOPOLOGY))
        nodes = {u: NodeSpec(u, p, port) for (u, p), port in zip(TOPOLOGY, ports, strict=True)}
        fed = Federation(Path(root), nodes)
        try:
            await fed.up()
            tokens = {
                u: {"Authorization": f"Bearer {await fed.token(u, 'admin')}"}
                for u in ("62", "23353")
            }
            async with httpx.AsyncClient(timeout=30.0) as http:
                await one_sample(fed, http, tokens, 0)  # warm-up (enrollment backoff, caches)
                times = sorted(
                    [await one_sample(fed, http, tokens, i) for i in range(1, samples + 1)]
                )
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(
                f"propagation over 3 hops, {samples} samples (relay interval "
                f"{fed.settings('23353').relay_interval}s):"
            )
            print(
                f"  p50 {statistics.median(times):.2f} s   p95 {p95:.2f} s   max {times[-1]:.2f} s"
            )
            healthy, drained = await drain(fed, queued)
            print(
                f"drain of {queued} queued snapshots after the parent restarts "
                f"(batch {fed.settings('610').relay_batch}, backoff cap "
                f"{fed.settings('610').relay_backoff_max}s):"
            )
            print(f"  parent healthy after {healthy:.1f} s, outbox empty after {drained:.1f} s")
        finally:
            fed.stop_all()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--queued", type=int, default=1000)
    options = parser.parse_args()
    asyncio.run(main(options.samples, options.queued))
