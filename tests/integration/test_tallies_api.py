"""Submitting village tallies: exactly once, validated, scoped, reviewed, summed."""

from __future__ import annotations

import asyncio
import copy

from sqlalchemy import func, select

from backend.db.tables import audit_log, tallies, tally_heads
from tests.conftest import Node
from tests.factories import tally_body, tally_values


async def count_tallies(node: Node) -> int:
    """Rows in the tallies table."""
    async with node.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(tallies))).scalar_one())


async def test_same_tally_sent_three_times_is_stored_once_with_identical_receipts(node: Node):
    body = tally_body()
    answers = [
        await node.client.post("/api/tallies", json=body, headers=node.auth("thon_dakpek_1"))
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert await count_tallies(node) == 1


async def test_same_uuid_with_changed_values_is_a_conflict_and_keeps_the_stored_row(node: Node):
    body = tally_body()
    first = await node.client.post("/api/tallies", json=body, headers=node.auth("thon_dakpek_1"))
    changed = copy.deepcopy(body)
    changed["values"]["households_total"] += 1
    second = await node.client.post(
        "/api/tallies", json=changed, headers=node.auth("thon_dakpek_1")
    )
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    assert second.json()["code"] == "tally_uuid_conflict"
    assert second.json()["message_vi"] and second.json()["message_en"]
    listed = await node.client.get(
        "/api/tallies",
        params={"unit": "23353-01", "year": 2025},
        headers=node.auth("thon_dakpek_1"),
    )
    assert listed.json()[0]["values"] == body["values"]
    assert listed.json()[0]["id"] == first.json()["id"]


async def test_twenty_concurrent_submissions_leave_one_current_tally_and_a_clean_history(
    node: Node,
):
    bodies = [tally_body(values=None) for _ in range(20)]
    for index, body in enumerate(bodies):
        body["values"] = tally_values(households_total=200 + index)
    headers = node.auth("thon_dakpek_1")
    answers = await asyncio.gather(
        *[node.client.post("/api/tallies", json=b, headers=headers) for b in bodies]
    )
    assert sorted(a.status_code for a in answers) == [201] * 20
    assert sorted(a.json()["revision"] for a in answers) == list(range(1, 21))
    history = await node.client.get(
        "/api/tallies/history", params={"village": "23353-01", "year": 2025}, headers=headers
    )
    assert [t["revision"] for t in history.json()] == list(range(20, 0, -1))
    current = await node.client.get(
        "/api/tallies", params={"unit": "23353", "year": 2025}, headers=node.auth("xa_dakpek")
    )
    assert len(current.json()) == 1 and current.json()[0]["revision"] == 20
    async with node.db.read() as conn:
        head = (await conn.execute(select(tally_heads))).one()
    assert head.revision == 20


async def test_concurrent_retries_of_one_uuid_store_one_row(node: Node):
    body = tally_body()
    headers = node.auth("thon_dakpek_1")
    answers = await asyncio.gather(
        *[node.client.post("/api/tallies", json=body, headers=headers) for _ in range(10)]
    )
    assert sorted(a.status_code for a in answers) == [200] * 9 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert await count_tallies(node) == 1


async def test_a_later_correction_is_a_new_revision_and_history_is_kept(node: Node):
    headers = node.auth("thon_dakpek_1")
    await node.client.post("/api/tallies", json=tally_body(), headers=headers)
    fix = tally_body(values=None)
    fix["values"] = tally_values(households_total=130)
    answer = await node.client.post("/api/tallies", json=fix, headers=headers)
    assert answer.status_code == 201 and answer.json()["revision"] == 2
    history = await node.client.get(
        "/api/tallies/history", params={"village": "23353-01", "year": 2025}, headers=headers
    )
    assert [t["values"]["households_total"] for t in history.json()] == [130, 120]


async def test_every_submission_is_audited_with_who_and_which_client(node: Node):
    await node.client.post(
        "/api/tallies",
        json=tally_body(),
        headers={**node.auth("thon_dakpek_1"), "User-Agent": "phone/1.0"},
    )
    async with node.db.read() as conn:
        row = (
            await conn.execute(select(audit_log).where(audit_log.c.action == "tally.submit"))
        ).one()
    assert row.actor == "thon_dakpek_1" and row.actor_role == "village_head"
    assert row.user_agent == "phone/1.0" and row.device_id == "test-device"
    assert row.unit_code == "23353-01"


async def test_a_tenfold_jump_from_last_year_is_accepted_and_flagged(node: Node):
    headers = node.auth("thon_dakpek_1")
    await node.client.post("/api/tallies", json=tally_body(year=2024), headers=headers)
    jump = tally_body(year=2025, values=None)
    jump["values"] = tally_values(households_total=1200, families_registered=1000)
    answer = await node.client.post("/api/tallies", json=jump, headers=headers)
    assert answer.status_code == 201
    flagged = {f["field"] for f in answer.json()["flags"]}
    assert flagged == {"households_total", "families_registered"}
    assert all(f["message_vi"] and f["message_en"] for f in answer.json()["flags"])


async def test_commune_officer_confirms_or_returns_with_a_reason(node: Node):
    sent = await node.client.post(
        "/api/tallies", json=tally_body(), headers=node.auth("thon_dakpek_1")
    )
    tally_id = sent.json()["id"]
    officer = node.auth("xa_dakpek")
    no_reason = await node.client.post(
        f"/api/tallies/{tally_id}/review", json={"action": "return"}, headers=officer
    )
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "review_reason_required"
    returned = await node.client.post(
        f"/api/tallies/{tally_id}/review",
        json={"action": "return", "reason": "Thiếu số dòng họ"},
        headers=officer,
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_reason"] == "Thiếu số dòng họ"
    confirmed = await node.client.post(
        f"/api/tallies/{tally_id}/review", json={"action": "confirm"}, headers=officer
    )
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["reviewed_by"] == "xa_dakpek"


async def test_reviewing_an_outdated_revision_is_refused(node: Node):
    headers = node.auth("thon_dakpek_1")
    old = await node.client.post("/api/tallies", json=tally_body(), headers=headers)
    await node.client.post("/api/tallies", json=tally_body(), headers=headers)
    answer = await node.client.post(
        f"/api/tallies/{old.json()['id']}/review",
        json={"action": "confirm"},
        headers=node.auth("xa_dakpek"),
    )
    assert answer.status_code == 409 and answer.json()["code"] == "tally_not_current"


async def test_status_sums_villages_and_computes_rates_from_the_sums(node: Node):
    head1, head2 = node.auth("thon_dakpek_1"), node.auth("thon_dakpek_2")
    await node.client.post("/api/tallies", json=tally_body("23353-01"), headers=head1)
    second = tally_body("23353-02", values=None)
    second["values"] = tally_values(
        citizens_total=100, citizens_registered=100, citizens_recognized=10
    )
    await node.client.post("/api/tallies", json=second, headers=head2)
    answer = await node.client.get(
        "/api/units/23353/status", params={"year": 2025}, headers=node.auth("xa_dakpek")
    )
    status = answer.json()
    assert status["totals"]["citizens_total"] == 500
    assert status["totals"]["citizens_recognized"] == 250
    rates = {r["code"]: r for r in status["rates"]}
    assert rates["citizens_recognized_rate"]["value"] == 50.0  # 250/500, not mean(60%, 10%)
    assert status["completeness"] == {
        "villages_total": 3,
        "villages_reported": 2,
        "villages_confirmed": 0,
        "children_total": 3,
        "children_reported": 2,
    }
    await node.rebuild()  # the district folds its communes' roll-ups, as the rebuilder keeps them
    district = await node.client.get(
        "/api/units/610/status", params={"year": 2025}, headers=node.auth("huyen")
    )
    assert district.json()["totals"]["citizens_total"] == 500
    assert district.json()["completeness"]["villages_total"] == 36
