"""How the criteria, recognitions, targets and reports ride on the federation."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.tables import decisions, snapshots
from backend.services.decisions import store_pulled
from shared_schema.sync import Decision, DecisionPage
from tests.conftest import Node
from tests.factories import tally_body
from tests.integration.test_assessment_api import answer_everything, submit_villages
from tests.sync_helpers import enroll, push, signed, snapshot


async def kept_snapshot(node: Node, unit: str) -> dict:
    """The snapshot this node keeps for a unit in 2025 (built here)."""
    async with node.db.read() as conn:
        rows = (
            await conn.execute(
                select(snapshots.c.unit_code, snapshots.c.body).where(snapshots.c.unit_code == unit)
            )
        ).all()
    return dict(rows[-1].body)


async def test_snapshots_carry_the_level_reached_and_what_is_missing(node: Node):
    await answer_everything(node)
    await submit_villages(node, recognised=240)
    await node.rebuild()
    evaluation = (await kept_snapshot(node, "23353"))["evaluation"]
    assert evaluation["level_reached"] == 1 and evaluation["next_level"] == 2
    assert evaluation["recognized_level"] is None
    view = await node.client.get(
        "/api/federation/status",
        headers=node.auth("tinh"),
        params={"year": 2025, "level": "commune", "q": "Đắk Pék"},
    )
    assert view.json()[0]["evaluation"]["level_reached"] == 1


async def test_a_recognition_is_published_down_and_rolls_up(node: Node):
    decision = {
        "year": 2025,
        "level": 1,
        "decision_no": "45/QĐ-UBND",
        "decided_on": "2026-03-20",
        "signer": "Chủ tịch UBND huyện",
    }
    answer = await node.client.post(
        "/api/units/23353/recognitions", json=decision, headers=node.auth("huyen")
    )
    assert answer.status_code == 201
    async with node.db.read() as conn:
        feed = (
            await conn.execute(select(decisions.c.kind, decisions.c.unit_code, decisions.c.payload))
        ).all()
    assert [(d.kind, d.unit_code, d.payload["level"]) for d in feed] == [
        ("recognition", "23353", 1)
    ]
    await node.rebuild()
    assert (await kept_snapshot(node, "23353"))["evaluation"]["recognized_level"] == 1


async def test_a_recognition_pulled_from_above_takes_effect_once(node: Node):
    pulled = Decision(
        "d-1",
        "recognition",
        "23347",
        2025,
        {
            "level": 1,
            "decision_no": "7/QĐ-UBND",
            "decided_on": "2026-03-01",
            "signer": "Chủ tịch UBND tỉnh",
        },
        origin="62",
    )
    target = Decision("d-2", "target", "23347", 2026, {"target_level": 2, "rates": {}}, origin="62")
    for _ in range(2):  # the same page twice: applied once
        await store_pulled(node.db, DecisionPage([pulled, target], cursor=2))
    status = await node.client.get(
        "/api/units/23347/status", params={"year": 2025}, headers=node.auth("xa_dakman")
    )
    assert status.json()["recognized_level"] == 1
    targets = await node.client.get(
        "/api/targets", params={"unit": "23347"}, headers=node.auth("xa_dakman")
    )
    assert [(t["year"], t["target_level"]) for t in targets.json()] == [(2026, 2)]


async def test_a_childs_accepted_snapshot_counts_as_its_yearly_report(node: Node):
    key = await enroll(node, "610")
    await push(node, signed(key, "610", [snapshot("610", "610")]))
    answer = await node.client.get(
        "/api/units/610/timeliness", params={"year": 2025}, headers=node.auth("tinh")
    )
    assert answer.status_code == 200, answer.text
    [report] = [i for i in answer.json() if i["tracks"] == "yearly_report"]
    assert report["submitted_at"] is not None and report["status"] != "missing"


async def test_the_federation_view_narrows_to_one_parent_within_scope(node: Node):
    await submit_villages(node, recognised=240)
    await node.rebuild()
    whole = await node.client.get(
        "/api/federation/status",
        headers=node.auth("tinh"),
        params={"year": 2025, "level": "village"},
    )
    narrowed = await node.client.get(
        "/api/federation/status",
        headers=node.auth("tinh"),
        params={"year": 2025, "level": "village", "parent": "23353"},
    )
    assert len(whole.json()) == 36
    assert sorted(r["unit"] for r in narrowed.json()) == ["23353-01", "23353-02", "23353-03"]
    outside = await node.client.get(
        "/api/federation/status",
        headers=node.auth("xa_dakman"),
        params={"year": 2025, "level": "village", "parent": "23353"},
    )
    assert outside.status_code == 403


async def test_villages_of_a_commune_with_its_own_node_are_refused_here(node: Node):
    await enroll(node, "23353")
    answer = await node.client.post(
        "/api/tallies", json=tally_body("23353-01"), headers=node.auth("admin")
    )
    assert answer.status_code == 409 and answer.json()["code"] == "unit_delegated"
    assert "23353" in answer.json()["message_vi"]
    elsewhere = await node.client.post(
        "/api/tallies", json=tally_body("23347-01"), headers=node.auth("admin")
    )
    assert elsewhere.status_code == 201
