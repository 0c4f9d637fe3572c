"""The demo federation as processes: every view of a unit shows the same roll-up."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
import openpyxl
import pytest

from backend.demo import TOPOLOGY, submit_year
from backend.launcher import Federation
from shared_schema.framework_loader import load_framework
from tests.e2e.conftest import admin_token, eventually, rows

pytestmark = pytest.mark.e2e
YEAR = 2025


async def get(fed: Federation, node: str, path: str, **params: Any) -> httpx.Response:
    """An admin GET on a running node that must succeed."""
    token = await admin_token(fed, node)
    async with httpx.AsyncClient(timeout=30.0) as http:
        answer = await http.get(
            f"{fed.nodes[node].url}{path}",
            params={"year": YEAR, **params},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    return answer


async def status(fed: Federation, node: str, unit: str) -> dict[str, Any]:
    """GET /api/units/{unit}/status at a node."""
    return dict((await get(fed, node, f"/api/units/{unit}/status")).json())


async def summary_rows(fed: Federation, node: str, unit: str) -> dict[str, tuple[Any, ...]]:
    """The units-summary report of a unit, one line per unit below it, by code."""
    content = (await get(fed, node, f"/api/units/{unit}/reports/units-summary.xlsx")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return {str(r[1]): r for r in sheet.iter_rows(values_only=True) if r[1] and str(r[1]).isdigit()}


def as_number(cell: Any) -> float | None:
    """A report cell as a number ('61,5%' → 61.5; '—' → None)."""
    if cell is None or cell == "—":
        return None
    if isinstance(cell, int | float):
        return float(cell)
    return float(str(cell).rstrip("%").replace(".", "").replace(",", "."))


def assert_views_agree(
    unit: str, shown: dict[str, Any], row: dict[str, Any], line: tuple[Any, ...] | None
) -> None:
    """Status, federation row and report line of one unit say the same thing."""
    done = shown["completeness"]
    assert (done["villages_reported"], done["villages_total"]) == (
        row["villages_reported"],
        row["villages_total"],
    ), unit
    assert figures(shown["totals"]) == figures(row["totals"]), unit
    rates = {r["code"]: r["value"] for r in shown["rates"]}
    assert {code: rates.get(code) for code in row["rates"]} == row["rates"], unit
    assert shown["level_reached"] == row["evaluation"].get("level_reached"), unit
    assert shown["recognized_level"] == row["evaluation"].get("recognized_level"), unit
    if line is None:
        return
    assert line[4:6] == (done["villages_reported"], done["villages_total"]), unit
    tally_rates = load_framework().tally.rates
    for rate, cell in zip(tally_rates, line[6 : 6 + len(tally_rates)], strict=True):
        expected = rates.get(rate.code)
        shown_cell = as_number(cell)
        if shown_cell is not None and rate.unit == "%":
            shown_cell *= 100  # the sheet holds the fraction Excel formats as a percentage
        assert shown_cell == pytest.approx(expected, abs=1e-6), (unit, rate.code)


def figures(totals: dict[str, int]) -> dict[str, int]:
    """The tally figures of a roll-up (not the standards' internal counters)."""
    return {k: v for k, v in totals.items() if not k.startswith("standard.")}


async def check_node(fed: Federation, node: str, levels: list[str]) -> int:
    """Every unit of these levels at one node: status, row and report agree; how many checked."""
    report = summary_rows(fed, node, node)
    lines = await report
    checked = 0
    for level in levels:
        for code, row in (await rows(fed, node, level)).items():
            assert_views_agree(code, await status(fed, node, code), row, lines.get(code))
            checked += 1
    return checked


async def test_every_view_of_every_unit_agrees_and_the_headline_is_the_sum_of_the_table(
    launch: Callable[..., Any],
) -> None:
    fed = await launch(TOPOLOGY)
    sent = await submit_year(fed, YEAR)
    assert sent == 60

    async def province_complete() -> bool:
        districts = await rows(fed, "62", "district")
        head = (await status(fed, "62", "62"))["completeness"]
        seen = (head["villages_reported"], sum(r["villages_reported"] for r in districts.values()))
        return seen == (60, 60)

    await eventually(province_complete, timeout=90)

    headline = await status(fed, "62", "62")
    table = await rows(fed, "62", "district")
    assert headline["completeness"]["villages_total"] == 60
    assert headline["completeness"]["villages_reported"] == sum(
        r["villages_reported"] for r in table.values()
    )
    for field, value in headline["totals"].items():
        assert value == sum(r["totals"].get(field, 0) for r in table.values()), field
    assert {u: (r["villages_reported"], r["villages_total"]) for u, r in table.items()} == {
        "610": (36, 36),
        "611": (24, 24),
    }
    assert await check_node(fed, "62", ["province", "district", "commune"]) == 1 + 2 + 20
    assert await check_node(fed, "610", ["commune"]) == 12
    assert await check_node(fed, "611", ["commune"]) == 8
