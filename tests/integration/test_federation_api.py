"""Snapshots rebuilt with each tally, one coalesced outbox row per unit-year, decisions, exports."""

from __future__ import annotations

import io
import time
import uuid

import jwt
from openpyxl import load_workbook
from sqlalchemy import select

from backend.db.tables import outbox, snapshots
from tests.conftest import Node
from tests.factories import tally_body, tally_values
from tests.sync_helpers import enroll, push, signed, snapshot


async def test_tallies_rebuild_the_chain_and_leave_one_outbox_row_per_unit_year(node: Node):
    for village, user in (("23353-01", "thon_dakpek_1"), ("23353-02", "thon_dakpek_2")):
        answer = await node.client.post(
            "/api/tallies", json=tally_body(village), headers=node.auth(user)
        )
        assert answer.status_code == 201
    assert await node.rebuild() == 2  # two marks, folded in one rebuild per unit
    async with node.db.read() as conn:
        rows = (await conn.execute(select(outbox.c.unit_code, outbox.c.revision))).all()
        kept = {
            r.unit_code: r.body
            for r in (await conn.execute(select(snapshots.c.unit_code, snapshots.c.body))).all()
        }
    assert sorted(r.unit_code for r in rows) == ["23353", "610", "62"]
    assert kept["62"]["totals"]["households_total"] == 2 * tally_values()["households_total"]
    assert kept["23353"]["completeness"]["villages_reported"] == 2
    assert kept["610"]["completeness"]["children_reported"] == 1
    assert {r.unit_code: r.revision for r in rows} == {u: kept[u]["revision"] for u in kept}


async def test_a_returned_tally_leaves_the_roll_up(node: Node):
    created = await node.client.post(
        "/api/tallies", json=tally_body("23353-01"), headers=node.auth("thon_dakpek_1")
    )
    await node.client.post(
        f"/api/tallies/{created.json()['id']}/review",
        json={"action": "return", "reason": "Thiếu số liệu"},
        headers=node.auth("xa_dakpek"),
    )
    await node.rebuild()
    view = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "commune", "q": "Đắk Pék"},
        headers=node.auth("huyen"),
    )
    [row] = view.json()
    assert (row["unit"], row["reported"], row["timeliness"]) == ("23353", False, "missing")


async def test_decisions_reach_a_child_for_its_units_and_their_ancestors_only(node: Node):
    key = await enroll(node, "23353")
    recognition = {
        "level": 1,
        "decision_no": "12/QĐ-UBND",
        "decided_on": "2026-03-01",
        "signer": "Chủ tịch UBND tỉnh",
    }
    for kind, unit, payload in (
        ("framework_version", "62", {}),
        ("recognition", "23353", recognition),
        ("target", "23347", {"target_level": 1}),
    ):
        answer = await node.client.post(
            "/api/decisions",
            json={"kind": kind, "unit": unit, "year": 2025, "payload": payload},
            headers=node.auth("admin"),
        )
        assert answer.status_code == 201, answer.text
    now = int(time.time())
    claims = {"iss": "23353", "aud": "62", "exp": now + 60, "jti": uuid.uuid4().hex}
    token = jwt.encode(claims, key, algorithm="EdDSA")
    page = await node.client.get(
        "/api/sync/decisions", params={"since": 0}, headers={"Authorization": f"Bearer {token}"}
    )
    assert page.status_code == 200, page.text
    assert [d["unit"] for d in page.json()["decisions"]] == ["62", "23353"]
    assert page.json()["cursor"] == 3
    unsigned = await node.client.get("/api/sync/decisions", params={"since": 0})
    assert unsigned.status_code == 401


async def test_the_federation_view_downloads_as_csv_and_xlsx(node: Node):
    key = await enroll(node, "610")
    await push(node, signed(key, "610", [snapshot("23353", "23353", level="commune")]))
    params = {"year": 2025, "level": "commune"}
    csv = await node.client.get(
        "/api/federation/status", params={**params, "format": "csv"}, headers=node.auth("tinh")
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã đơn vị / Unit code") and len(lines) == 13
    assert any("Xã Đắk Pék" in line and "Trễ hạn" in line for line in lines)
    xlsx = await node.client.get(
        "/api/federation/status", params={**params, "format": "xlsx"}, headers=node.auth("tinh")
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 13
    bad = await node.client.get(
        "/api/federation/status", params={**params, "sort": "nope"}, headers=node.auth("tinh")
    )
    assert bad.status_code == 422 and bad.json()["code"] == "sort_invalid"
