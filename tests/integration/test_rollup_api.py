"""One roll-up per unit and year: the headline, the table and the report say the same thing."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from tests.conftest import Node
from tests.factories import tally_body, tally_values

VILLAGES = ("23353-01", "23353-02", "23347-01", "23350-03", "23350-01")
DECISION = {
    "year": 2025,
    "level": 1,
    "decision_no": "123/QĐ-UBND",
    "decided_on": "2026-03-20",
    "signer": "Chủ tịch UBND huyện",
}


async def status(node: Node, code: str) -> dict[str, Any]:
    """The unit's status for 2025, read by the province officer."""
    answer = await node.client.get(
        f"/api/units/{code}/status", params={"year": 2025}, headers=node.auth("tinh")
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def table(node: Node, level: str) -> dict[str, dict[str, Any]]:
    """The federation view at a level, by unit."""
    answer = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": level},
        headers=node.auth("tinh"),
    )
    assert answer.status_code == 200, answer.text
    return {r["unit"]: r for r in answer.json()}


def figures(totals: dict[str, int]) -> dict[str, int]:
    """The tally figures of a roll-up (not the standards' internal counters)."""
    return {k: v for k, v in totals.items() if not k.startswith("standard.")}


async def summary_lines(node: Node, code: str) -> dict[str, tuple[Any, ...]]:
    """The units-summary report of a unit, by unit code."""
    answer = await node.client.get(
        f"/api/units/{code}/reports/units-summary.xlsx",
        params={"year": 2025},
        headers=node.auth("tinh"),
    )
    assert answer.status_code == 200, answer.text
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    return {str(r[1]): r for r in sheet.iter_rows(values_only=True) if str(r[1]).isdigit()}


async def test_before_any_report_every_view_counts_the_villages_as_not_reported(node: Node):
    headline = (await status(node, "62"))["completeness"]
    assert (headline["villages_reported"], headline["villages_total"]) == (0, 36)
    communes = await table(node, "commune")
    assert len(communes) == 12
    assert all(r["villages_total"] == 3 and not r["reported"] for r in communes.values())
    assert (await table(node, "district"))["610"]["villages_total"] == 36


async def test_the_headline_is_the_sum_of_the_table_and_every_view_of_a_unit_agrees(node: Node):
    for scale, village in enumerate(VILLAGES, start=1):
        body = tally_body(village, values=None)
        body["values"] = tally_values(scale)
        answer = await node.client.post("/api/tallies", json=body, headers=node.auth("admin"))
        assert answer.status_code == 201, answer.text
    await node.rebuild()
    headline = await status(node, "62")
    districts, communes = await table(node, "district"), await table(node, "commune")
    for rows in (districts, communes):
        assert headline["completeness"]["villages_reported"] == sum(
            r["villages_reported"] for r in rows.values()
        )
        assert headline["totals"] == {
            field: sum(r["totals"].get(field, 0) for r in rows.values())
            for field in headline["totals"]
        }
    assert headline["totals"]["households_total"] == 120 * sum(range(1, len(VILLAGES) + 1))
    lines = await summary_lines(node, "62")
    for code, row in {**districts, **communes}.items():
        shown = await status(node, code)
        done = shown["completeness"]
        # A commune nothing was folded for yet shows its own standard counters in its status
        # only (the table has no snapshot of it): the figures a person reads must agree.
        assert (done["villages_reported"], done["villages_total"], figures(shown["totals"])) == (
            row["villages_reported"],
            row["villages_total"],
            figures(row["totals"]),
        ), code
        shown_rates = {r["code"]: r["value"] for r in shown["rates"]}
        assert {c: shown_rates.get(c) for c in row["rates"]} == row["rates"], code
        assert shown["level_reached"] == row["evaluation"].get("level_reached"), code
        assert lines[code][4:6] == (done["villages_reported"], done["villages_total"]), code


async def test_a_recognition_shows_in_the_status_and_the_table_at_once(node: Node):
    answer = await node.client.post(
        "/api/units/23353/recognitions", json=DECISION, headers=node.auth("huyen")
    )
    assert answer.status_code == 201, answer.text
    assert (await status(node, "23353"))["recognized_level"] == 1
    row = (await table(node, "commune"))["23353"]
    assert row["evaluation"]["recognized_level"] == 1
