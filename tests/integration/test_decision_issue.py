"""`POST /api/decisions` checks a decision like the dedicated routes do, before storing anything."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from backend.db.tables import decisions, recognitions
from tests.conftest import Node

SIGNED = {"decision_no": "45/QĐ-UBND", "decided_on": "2026-03-20", "signer": "Chủ tịch UBND"}


async def issue(node: Node, user: str, kind: str, unit: str, payload: Any, year: int = 2025):
    """POST one decision as a user."""
    body = {"kind": kind, "unit": unit, "year": year, "payload": payload}
    return await node.client.post("/api/decisions", json=body, headers=node.auth(user))


async def stored(node: Node) -> int:
    """Decisions in this node's feed."""
    async with node.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(decisions))).scalar_one())


async def test_a_recognition_whose_level_is_not_a_number_is_refused_and_nothing_is_stored(
    node: Node,
):
    answer = await issue(node, "huyen", "recognition", "23347", {"level": "abc"})
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "decision_payload_invalid"
    assert "level" in problem["message_en"] and problem["message_vi"].startswith("Nội dung")
    assert await stored(node) == 0


async def test_a_district_cannot_recognise_itself_through_the_decisions_route(node: Node):
    answer = await issue(node, "huyen", "recognition", "610", {"level": 2, **SIGNED})
    assert (answer.status_code, answer.json()["code"]) == (403, "recognize_own_unit")
    assert await stored(node) == 0


@pytest.mark.parametrize(
    ("kind", "unit", "payload", "year", "status", "code"),
    [
        ("recognition", "23347", {"level": 99, **SIGNED}, 2025, 422, "recognition_level_invalid"),
        (
            "recognition",
            "23347",
            {"level": 1, **SIGNED, "signer": " "},
            2025,
            422,
            "recognition_incomplete",
        ),
        (
            "recognition",
            "23347",
            {"level": 1, **SIGNED, "decided_on": "2024-12-31"},
            2025,
            422,
            "decision_date_invalid",
        ),
        (
            "recognition",
            "23347",
            {"level": 1, **SIGNED, "decided_on": "2999-01-01"},
            2025,
            422,
            "decision_date_invalid",
        ),
        (
            "recognition",
            "23347",
            {"level": 1, **SIGNED, "decided_on": "20/3/2026"},
            2025,
            422,
            "decision_payload_invalid",
        ),
        ("recognition", "23347", {"level": 1, **SIGNED}, 1990, 422, "decision_year_invalid"),
        ("recognition", "62", {"level": 1, **SIGNED}, 2025, 403, "out_of_scope"),
        ("target", "23347", {"target_level": 7}, 2025, 422, "target_level_range"),
        ("target", "23347", {"rates": {"nope": 50}}, 2025, 422, "target_rate_unknown"),
        ("target", "23347", {"extra": 1}, 2025, 422, "decision_payload_invalid"),
        ("pardon", "23347", {}, 2025, 422, "decision_kind_unknown"),
        ("framework_version", "610", {}, 2025, 403, "role_forbidden"),
    ],
)
async def test_a_bad_decision_gets_the_problem_its_dedicated_route_would_give(
    node: Node, kind: str, unit: str, payload: Any, year: int, status: int, code: str
):
    answer = await issue(node, "huyen", kind, unit, payload, year)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert await stored(node) == 0


async def test_a_decision_names_the_issuers_unit_and_takes_effect_where_it_is_issued(node: Node):
    answer = await issue(node, "huyen", "recognition", "23347", {"level": 1, **SIGNED})
    assert answer.status_code == 201, answer.text
    decision = answer.json()
    assert (decision["origin"], decision["issued_by"]) == ("610", "huyen")  # the node is 62
    assert decision["payload"] == {"level": 1, **SIGNED}
    async with node.db.read() as conn:
        kept = (await conn.execute(select(recognitions.c.unit_code, recognitions.c.level))).all()
    assert [tuple(r) for r in kept] == [("23347", 1)]
    target = await issue(node, "huyen", "target", "23347", {"target_level": 2, "rates": {}})
    assert target.status_code == 201 and target.json()["origin"] == "610"


async def test_the_dedicated_recognition_route_refuses_the_same_dates(node: Node):
    body = {"year": 2025, "level": 1, **SIGNED, "decided_on": "2999-01-01"}
    answer = await node.client.post(
        "/api/units/23347/recognitions", json=body, headers=node.auth("huyen")
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "decision_date_invalid")
