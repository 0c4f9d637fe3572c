"""National scale: a Ministry node over 34 provinces and 3,321 communes, and one province node
hosting its communes and ~3,000 villages directly. Prints every figure with its target.

Run: `uv run python bench/national.py` (starts its own throwaway PostgreSQL; about 5–10 minutes).
`--provinces 2 --villages 60 --samples 3 --sqlite` is the small run the test suite keeps working.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.db.database import Database
from backend.demo import plausible_tally
from backend.services.snapshots import rebuild_all
from bench.national_setup import (
    NATION,
    YEAR,
    build_federation,
    enroll_synthetic,
    password_hash,
    prepare_urls,
    push_synthetic,
    synthetic_province,
)
from shared_schema.framework_loader import load_framework

FIELD = "households_total"
NOTE = ""


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(times: list[float], q: float) -> float:
    """The q-quantile of a list of durations (nearest rank)."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def timed(
    http: httpx.AsyncClient, samples: int, url: str, params: dict, headers: dict
) -> list[float]:
    """Seconds per GET, each checked for success."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        answer = await http.get(url, params={"year": YEAR, **params}, headers=headers)
        times.append(time.perf_counter() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"{answer.request.url} → {answer.status_code} {answer.text[:300]}")
    return times


def report(name: str, times: list[float], target: str) -> None:
    """One figure line."""
    print(
        f"  {name:<52} p50 {statistics.median(times) * 1000:7.0f} ms   "
        f"p95 {pct(times, 0.95) * 1000:7.0f} ms   ({target})",
        flush=True,
    )


async def until(
    check: Callable[[], Awaitable[bool]], timeout: float = 300.0, what: str = ""
) -> float:
    """Seconds until check() holds (polled every 50 ms)."""
    started = time.perf_counter()
    while not await check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"not reached within {timeout:.0f} s: {what}")
        await asyncio.sleep(0.05)
    return time.perf_counter() - started


async def view(http: httpx.AsyncClient, url: str, auth: dict, **params: Any) -> list[dict]:
    """The federation view of a node."""
    answer = await http.get(
        f"{url}/api/federation/status", params={"year": YEAR, **params}, headers=auth
    )
    answer.raise_for_status()
    rows: list[dict] = answer.json()
    return rows


async def submit_villages(http: httpx.AsyncClient, url: str, auth: dict, villages: list[str]):
    """One tally per village at the province node, 16 at a time."""
    rng = random.Random(7)
    bodies = [
        {
            "client_uuid": str(uuid.uuid4()),
            "village": v,
            "year": YEAR,
            "values": plausible_tally(rng),
        }
        for v in villages
    ]
    gate = asyncio.Semaphore(16)

    async def one(body: dict) -> None:
        async with gate:
            answer = await http.post(f"{url}/api/tallies", json=body, headers=auth)
            answer.raise_for_status()

    await asyncio.gather(*(one(b) for b in bodies))
    return bodies


async def main(options: argparse.Namespace) -> None:
    """Set up the country, then measure."""
    server = None
    server_url = ""
    if not options.sqlite:
        from tests.pg import start_postgres

        server = start_postgres()
        if server is None:
            raise SystemExit("PostgreSQL binaries not found (initdb, pg_ctl); or pass --sqlite")
        server_url = server.url
    with tempfile.TemporaryDirectory() as root:
        fed, real, lines = build_federation(
            Path(root), options.provinces, options.villages, server_url
        )
        try:
            await prepare_urls(fed, server_url)
            await measure(fed, real, lines, options)
        finally:
            fed.stop_all()
            if server is not None:
                server.stop()


async def measure(fed: Any, real: str, lines: list, options: argparse.Namespace) -> None:
    """Every figure, in the order the federation is built."""
    framework = load_framework()
    hashed = await password_hash()
    for unit in fed.nodes:
        await fed.prepare(unit, hashed, [])
    for unit in fed.nodes:
        fed.start(unit)
    await fed.wait_healthy(list(fed.nodes))
    nation_url, province_url = fed.nodes[NATION].url, fed.nodes[real].url
    nation_pid = fed.nodes[NATION].proc.pid
    idle = rss_mb(nation_pid)
    auth = {u: {"Authorization": f"Bearer {await fed.token(u, 'admin')}"} for u in fed.nodes}
    communes = sum(1 for u in lines if u.level == "commune")
    provinces = sorted(u.code for u in lines if u.level == "province")
    villages = [u.code for u in fed.units[real] if u.level == "village"]
    print(
        f"country: {len(provinces)} provinces, {communes} communes; province node {real} hosts "
        f"{len(villages)} villages; database: {'SQLite' if options.sqlite else 'PostgreSQL'}",
        flush=True,
    )
    async with httpx.AsyncClient(timeout=120.0) as http:
        started = time.perf_counter()
        sent = await submit_villages(http, province_url, auth[real], villages)
        print(
            f"  {len(sent)} village tallies at the province node in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        own_total = sum(b["values"][FIELD] for b in sent)

        async def province_folded() -> bool:
            rows = await view(http, province_url, auth[real], level="province")
            return bool(rows) and rows[0]["totals"].get(FIELD) == own_total

        await until(province_folded)
        await fed.enroll(real)

        async def nation_has_real() -> bool:
            rows = await view(http, nation_url, auth[NATION], level="province", q=real)
            return bool(rows) and rows[0]["totals"].get(FIELD) == own_total

        real_sync = await until(nation_has_real)
        print(f"  real province node's first full sync absorbed in {real_sync:.1f} s", flush=True)

        synthetic = [
            synthetic_province(framework, lines, p, options.villages_per_commune, i)
            for i, p in enumerate(provinces)
            if p != real
        ]
        absorb = []
        for province in synthetic:
            await enroll_synthetic(http, nation_url, auth[NATION], province)
            started = time.perf_counter()
            await push_synthetic(http, nation_url, province, options.batch)
            expected = province.top.totals[FIELD]

            async def absorbed(code: str = province.code, want: int = expected) -> bool:
                rows = await view(http, nation_url, auth[NATION], level="province", q=code)
                return bool(rows) and rows[0]["totals"].get(FIELD) == want

            await until(absorbed, what=f"province {province.code} {expected} {NOTE}")
            absorb.append(time.perf_counter() - started)
        print(
            f"  absorb one province's full push ({len(synthetic)} provinces, "
            f"{statistics.mean(len(p.snapshots) for p in synthetic):.0f} snapshots each): "
            f"p50 {statistics.median(absorb):.2f} s, max {max(absorb):.2f} s",
            flush=True,
        )
        await check_totals(http, nation_url, auth[NATION], synthetic, real, own_total, communes)
        await latencies(http, fed, real, auth, options.samples, provinces)
        await village_change(http, fed, real, auth, villages[0], options.samples)
        await full_rebuild(fed, framework, real)
    print(
        f"memory (resident): national node idle {idle:.0f} MB, now "
        f"{rss_mb(nation_pid):.0f} MB (target < 300 MB); province node "
        f"{rss_mb(fed.nodes[real].proc.pid):.0f} MB",
        flush=True,
    )


async def check_totals(
    http: httpx.AsyncClient,
    url: str,
    auth: dict,
    synthetic: list,
    real: str,
    real_total: int,
    communes: int,
) -> None:
    """The national view lists every province and commune; totals equal the pushed sums."""
    rows = {r["unit"]: r for r in await view(http, url, auth, level="province")}
    expected = {p.code: p.top.totals[FIELD] for p in synthetic} | {real: real_total}
    assert set(rows) == set(expected), f"provinces listed: {sorted(rows)}"
    for code, want in expected.items():
        assert rows[code]["totals"].get(FIELD) == want, (code, rows[code]["totals"], want)
    commune_rows = await view(http, url, auth, level="commune")
    assert len(commune_rows) == communes, (len(commune_rows), communes)
    summed = sum(r["totals"].get(FIELD, 0) for r in commune_rows)
    assert summed == sum(expected.values()), (summed, sum(expected.values()))
    print(
        f"  check: {len(rows)} provinces and {len(commune_rows)} communes listed; "
        f"{FIELD} {summed:,} = sum of the pushed snapshots",
        flush=True,
    )


PAGE = {"level": "commune", "limit": 50}


async def latencies(
    http: httpx.AsyncClient, fed: Any, real: str, auth: dict, samples: int, provinces: list[str]
) -> None:
    """Views, status and exports at the national and the province node."""
    nation, province = fed.nodes[NATION].url, fed.nodes[real].url
    a, b = auth[NATION], auth[real]
    fv = f"{nation}/api/federation/status"
    print("national node:", flush=True)
    cases: list[tuple[str, str, dict, dict, str]] = [
        ("federation view nation → provinces", fv, a, {"level": "province"}, "< 200 ms"),
        ("federation view → communes, first page of 50", fv, a, PAGE, "< 200 ms"),
        (
            "communes, a page sorted by completeness",
            fv,
            a,
            {**PAGE, "sort": "-completeness"},
            "< 200 ms",
        ),
        ("every commune in one answer (6 MB)", fv, a, {"level": "commune"}, "for reference"),
        (
            "communes of one province, filtered and sorted",
            fv,
            a,
            {"level": "commune", "parent": provinces[0], "q": "Xã", "sort": "-completeness"},
            "< 200 ms",
        ),
        ("unit status VN", f"{nation}/api/units/{NATION}/status", a, {}, "< 200 ms"),
    ]
    exports: list[tuple[str, str, dict, dict, str]] = [
        ("federation XLSX, all communes", fv, a, {"level": "commune", "format": "xlsx"}, "< 5 s"),
        (
            "units-summary.xlsx (every commune)",
            f"{nation}/api/units/{NATION}/reports/units-summary.xlsx",
            a,
            {},
            "< 5 s",
        ),
    ]
    for name, url, headers, params, target in cases:
        report(name, await timed(http, samples, url, params, headers), target)
    for name, url, headers, params, target in exports:
        report(name, await timed(http, max(1, samples // 5), url, params, headers), target)
    print(f"province node {real}:", flush=True)
    pv = f"{province}/api/federation/status"
    summary = f"{province}/api/units/{real}/reports/units-summary.xlsx"
    for name, url, params, target in [
        ("federation view → communes, first page", pv, PAGE, "< 200 ms"),
        ("federation view → every commune", pv, {"level": "commune"}, "< 200 ms"),
        ("unit status", f"{province}/api/units/{real}/status", {}, "< 200 ms"),
        ("units-summary.xlsx", summary, {}, "< 5 s"),
    ]:
        report(name, await timed(http, samples, url, params, b), target)


async def village_change(
    http: httpx.AsyncClient, fed: Any, real: str, auth: dict, village: str, samples: int
) -> None:
    """One village's changed tally at the province node until the national view shows it."""
    commune = village.split("-")[0]
    times = []
    for i in range(samples):
        values = plausible_tally(random.Random(1000 + i))
        values[FIELD] = 5_000 + i
        values["families_registered"] = min(values["families_registered"], values[FIELD])
        before = await view(http, fed.nodes[NATION].url, auth[NATION], level="commune", q=commune)
        base = before[0]["totals"].get(FIELD, 0)
        old = await http.get(
            f"{fed.nodes[real].url}/api/tallies/history",
            params={"village": village, "year": YEAR},
            headers=auth[real],
        )
        previous = old.json()[0]["values"][FIELD]
        started = time.perf_counter()
        answer = await http.post(
            f"{fed.nodes[real].url}/api/tallies",
            json={
                "client_uuid": str(uuid.uuid4()),
                "village": village,
                "year": YEAR,
                "values": values,
            },
            headers=auth[real],
        )
        answer.raise_for_status()
        want = base - previous + values[FIELD]

        async def arrived(want: int = want) -> bool:
            rows = await view(http, fed.nodes[NATION].url, auth[NATION], level="commune", q=commune)
            return rows[0]["totals"].get(FIELD) == want

        await until(arrived, timeout=60)
        times.append(time.perf_counter() - started)
    report("one village's change visible at the national node", times, "< 3 s")


async def full_rebuild(fed: Any, framework: Any, real: str) -> None:
    """Every snapshot a node folds, rebuilt from what it holds: the province node folds its
    communes from village tallies; the national node folds only the nation from pushed figures."""
    for unit in (real, NATION):
        db = Database.from_url(fed.settings(unit).database_url)
        try:
            started = time.perf_counter()
            async with db.write() as conn:
                count = await rebuild_all(conn, framework, unit)
            print(
                f"  full rebuild at node {unit}: every unit it folds, refolded in "
                f"{time.perf_counter() - started:.1f} s ({count} snapshots changed)",
                flush=True,
            )
        finally:
            await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--villages", type=int, default=3000, help="at the province node")
    parser.add_argument("--villages-per-commune", type=int, default=30, help="synthetic provinces")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100, help="snapshots per push")
    parser.add_argument("--sqlite", action="store_true", help="both nodes on SQLite files")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    asyncio.run(main(parser.parse_args()))
