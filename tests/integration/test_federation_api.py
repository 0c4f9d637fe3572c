"""Snapshots rebuilt with each tally, one coalesced outbox row per unit-year, decisions, exports."""

from __future__ import annotations

import io
import time
import uuid
from datetime import UTC, datetime

import jwt
from openpyxl import load_workbook
from sqlalchemy import select

from backend.db.repositories import snapshots as snapshot_repo
from backend.db.tables import outbox, snapshots
from backend.services.rebuilds import rebuild_pending
from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.factories import tally_body, tally_values
from tests.sync_helpers import enroll, push, signed, snapshot


async def test_tallies_rebuild_the_chain_and_leave_one_outbox_row_per_unit_year(node: Node):
    for village, user in (("23353-01", "thon_dakpek_1"), ("23353-02", "thon_dakpek_2")):
        answer = await node.client.post(
            "/api/tallies", json=tally_body(village), headers=node.auth(user)
        )
        assert answer.status_code == 201
    district_node = "610"  # the same data seen by a node that has a parent to push to
    assert await rebuild_pending(node.db, load_framework(), district_node) == 2  # one per unit
    async with node.db.read() as conn:
        rows = (await conn.execute(select(outbox.c.unit_code, outbox.c.revision))).all()
        kept = {
            r.unit_code: r.body
            for r in (await conn.execute(select(snapshots.c.unit_code, snapshots.c.body))).all()
        }
    assert sorted(r.unit_code for r in rows) == ["23353", "610"]
    assert kept["610"]["totals"]["households_total"] == 2 * tally_values()["households_total"]
    assert kept["23353"]["completeness"]["villages_reported"] == 2
    assert kept["610"]["completeness"]["children_reported"] == 1
    assert {r.unit_code: r.revision for r in rows} == {u: kept[u]["revision"] for u in kept}


async def test_the_root_node_keeps_no_outbox_rows(node: Node):
    key = await enroll(node, "23347")
    answer = await node.client.post(
        "/api/tallies", json=tally_body("23353-01"), headers=node.auth("thon_dakpek_1")
    )
    assert answer.status_code == 201
    pushed = signed(key, "23347", [snapshot("23347", "23347", level="commune")])
    assert (await push(node, pushed)).status_code == 200
    async with node.db.read() as conn:
        rows = (await conn.execute(select(outbox.c.unit_code))).all()
        kept = (await conn.execute(select(snapshots.c.unit_code))).scalars().all()
    assert {"62", "23347", "23353"} <= set(kept)  # figures are kept and rolled up
    assert rows == []  # but the province has no parent: nothing waits to be pushed


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


async def test_rows_queued_at_the_root_before_it_knew_better_are_dropped(node: Node):
    from backend.services import outbox as outbox_service

    async with node.db.write() as conn:
        await snapshot_repo.enqueue(conn, snapshot("62", "62", level="province"), datetime.now(UTC))
    assert (
        await outbox_service.forget_at_root(node.db, "610") == 0
    )  # a node with a parent keeps them
    assert await outbox_service.forget_at_root(node.db, "62") == 1
    assert (await outbox_service.counts(node.db)).pending == 0
