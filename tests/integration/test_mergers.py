"""A merged commune's earlier years appear under the new commune, and nothing is counted twice."""

from __future__ import annotations

import csv

from backend.services.units import UnitLine, import_units, load_unit
from shared_schema.framework_loader import load_framework
from tests.conftest import FIXTURES, Node
from tests.factories import tally_body

NEW_COMMUNE = "23999"
OLD_COMMUNES = ("23353", "23347")  # Đắk Pék and Đắk Man


async def submit_2024(node: Node, village: str) -> None:
    """A 2024 tally for one village (400 citizens in scope, as the factory writes)."""
    answer = await node.client.post(
        "/api/tallies", json=tally_body(village, year=2024), headers=node.auth("admin")
    )
    assert answer.status_code == 201, answer.text


async def submit_2025(node: Node, village: str) -> None:
    """A 2025 tally for one village."""
    answer = await node.client.post(
        "/api/tallies", json=tally_body(village, year=2025), headers=node.auth("admin")
    )
    assert answer.status_code == 201, answer.text


async def commune_rows(node: Node, year: int) -> dict[str, dict]:
    """The province's comparison of communes for a year."""
    view = await node.client.get(
        "/api/federation/status",
        params={"year": year, "level": "commune"},
        headers=node.auth("tinh"),
    )
    assert view.status_code == 200, view.text
    return {r["unit"]: r for r in view.json()}


async def district_citizens(node: Node, year: int) -> int:
    """Citizens in scope in the district's line of the province's comparison."""
    view = await node.client.get(
        "/api/federation/status",
        params={"year": year, "level": "district"},
        headers=node.auth("tinh"),
    )
    return next(r for r in view.json() if r["unit"] == "610")["totals"]["citizens_total"]


async def test_a_merged_communes_2024_figures_appear_under_the_new_commune_once(node: Node):
    for village in ("23353-01", "23353-02", "23347-01", "23347-02", "23347-03", "23341-01"):
        await submit_2024(node, village)
    await node.rebuild()
    before = await commune_rows(node, 2024)
    assert before["23353"]["totals"]["citizens_total"] == 800
    assert before["23347"]["totals"]["citizens_total"] == 1200
    assert await district_citizens(node, 2024) == 2400
    await import_units(
        node.db, load_framework(), [UnitLine(NEW_COMMUNE, "Xã Đắk Pék Mới", "commune", "610")]
    )
    merged = await node.client.post(
        "/api/mergers",
        json={
            "old_codes": list(OLD_COMMUNES),
            "new_code": NEW_COMMUNE,
            "effective_on": "2025-07-01",
            "note": "Nghị quyết sắp xếp đơn vị hành chính cấp xã",
        },
        headers=node.auth("tinh"),
    )
    assert merged.status_code == 201, merged.text
    assert [m["old_code"] for m in merged.json()] == list(OLD_COMMUNES)
    await node.rebuild()
    after = await commune_rows(node, 2024)
    assert not set(OLD_COMMUNES) & set(after)  # the old communes are no longer listed
    assert after[NEW_COMMUNE]["totals"]["citizens_total"] == 2000  # 800 + 1 200, under the new one
    assert after["23341"]["totals"]["citizens_total"] == 400
    assert sum(r["totals"].get("citizens_total", 0) for r in after.values()) == 2400
    assert await district_citizens(node, 2024) == 2400  # nothing counted twice
    await submit_2025(node, "23353-01")  # after the merger its villages report under the new one
    await node.rebuild()
    assert (await commune_rows(node, 2025))[NEW_COMMUNE]["totals"]["citizens_total"] == 400
    listed = await node.client.get("/api/mergers", headers=node.auth("xem"))
    assert {(m["old_code"], m["new_code"]) for m in listed.json()} == {
        (code, NEW_COMMUNE) for code in OLD_COMMUNES
    }


async def test_a_merger_is_refused_when_it_makes_no_sense(node: Node):
    again = {"old_codes": ["23353"], "new_code": "23353", "effective_on": "2025-07-01"}
    answer = await node.client.post("/api/mergers", json=again, headers=node.auth("tinh"))
    assert answer.status_code == 422 and answer.json()["code"] == "merger_invalid"
    village_into_commune = {
        "old_codes": ["23353-01"],
        "new_code": "23347",
        "effective_on": "2025-07-01",
    }
    answer = await node.client.post(
        "/api/mergers", json=village_into_commune, headers=node.auth("tinh")
    )
    assert answer.json()["code"] == "merger_invalid"
    not_allowed = await node.client.post(
        "/api/mergers",
        json={"old_codes": ["23353"], "new_code": "23347", "effective_on": "2025-07-01"},
        headers=node.auth("xem"),
    )
    assert not_allowed.status_code == 403


async def test_targets_of_a_merged_unit_are_closed_with_a_note_and_a_district_needs_moves(
    node: Node,
):
    put = await node.client.put(
        "/api/units/23353/targets/2026", json={"target_level": 1}, headers=node.auth("huyen")
    )
    assert put.status_code == 200
    merged = await node.client.post(
        "/api/mergers",
        json={"old_codes": ["23353"], "new_code": "23347", "effective_on": "2025-07-01"},
        headers=node.auth("tinh"),
    )
    assert merged.status_code == 201, merged.text
    assert "23353/2026" in merged.json()[0]["note"]
    district = await node.client.post(
        "/api/mergers",
        json={"old_codes": ["610"], "new_code": "62", "effective_on": "2025-07-01"},
        headers=node.auth("tinh"),
    )
    assert district.status_code == 422 and "23341" in district.json()["message_en"]


async def test_the_new_xa_dak_pek_keeps_its_code_and_moved_villages_count_once(node: Node):
    """The fixture's merger: xã Đăk Pék (2025) keeps code 23341 and takes in old Đắk Pék."""
    for village in ("23341-01", "23353-01", "23353-02", "23350-01"):
        await submit_2024(node, village)
    await node.rebuild()
    with (FIXTURES / "mergers-kontum-2025.csv").open(encoding="utf-8") as lines:
        for row in csv.DictReader(lines):
            merged = await node.client.post(
                "/api/mergers",
                json={
                    "old_codes": [row["old_code"]],
                    "new_code": row["new_code"],
                    "effective_on": row["effective_on"],
                    "note": row["note"],
                },
                headers=node.auth("tinh"),
            )
            assert merged.status_code == 201, merged.text
    async with node.db.read() as conn:
        moved = [await load_unit(conn, f"23353-0{n}") for n in (1, 2, 3)]
    assert {v.parent_code for v in moved} == {"23341"}  # the villages joined the new commune
    await node.rebuild()
    rows = await commune_rows(node, 2024)
    assert rows["23341"]["totals"]["citizens_total"] == 1200  # its own village and old Đắk Pék's
    assert rows["23350"]["totals"]["citizens_total"] == 400 and "23353" not in rows
    assert await district_citizens(node, 2024) == 1600  # nothing counted twice
