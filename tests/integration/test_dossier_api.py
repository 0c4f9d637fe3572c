"""The recognition dossier over HTTP: submit, review, return, resubmit, recognise — in both
the 4-level (vn-2008) and the 2-level (vn-2025) federation, with who-may-do-what."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.tables import audit_log, dossiers
from tests.conftest import Node
from tests.integration.dossier_helpers import (
    DECISION,
    TINH_KHE,
    act,
    commune_at_level_1,
    reconfigured,
    two_level_province,
)


async def status(node: Node, code: str, user: str) -> dict:
    """The unit status for 2025."""
    answer = await node.client.get(
        f"/api/units/{code}/status", params={"year": 2025}, headers=node.auth(user)
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def walk_lifecycle(node: Node, commune: str, officer: str, recogniser: str) -> dict:
    """Submit → open → return → resubmit → open → recognise, checking each answer."""
    submitted = await act(node, officer, commune, "submit", {"note": "Hồ sơ năm 2025"})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["claimed_level"] == 1
    assert submitted.json()["snapshot"]["evaluation"]["level_reached"] == 1
    early = await act(node, recogniser, commune, "recognise", DECISION)
    assert early.status_code == 409 and early.json()["code"] == "dossier_transition_invalid"
    assert (await act(node, recogniser, commune, "open")).json()["status"] == "under_review"
    no_reason = await act(node, recogniser, commune, "return", {"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "dossier_reason_required"
    returned = await act(node, recogniser, commune, "return", {"reason": "Bổ sung minh chứng 2.1"})
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "Bổ sung minh chứng 2.1"
    again = await act(node, officer, commune, "submit")
    assert again.json()["status"] == "resubmitted" and again.json()["return_reason"] is None
    assert (await act(node, recogniser, commune, "open")).json()["status"] == "under_review"
    recognised = await act(node, recogniser, commune, "recognise", DECISION)
    assert recognised.status_code == 200, recognised.text
    body = recognised.json()
    assert body["status"] == "recognised"
    assert body["recognition"]["decision_no"] == "125/QĐ-UBND"
    assert [e["action"] for e in body["history"]] == [
        "submit",
        "open",
        "return",
        "submit",
        "open",
        "recognise",
    ]
    closed = await act(node, officer, commune, "submit")
    assert closed.status_code == 409 and closed.json()["code"] == "dossier_transition_invalid"
    return body


async def test_four_level_federation_district_recognises_its_commune(node: Node):
    node = reconfigured(node, hierarchy="vn-2008")
    await commune_at_level_1(node, "23353", "xa_dakpek")
    draft = await node.client.get(
        "/api/units/23353/dossier", params={"year": 2025}, headers=node.auth("huyen")
    )
    assert draft.json()["status"] == "draft" and draft.json()["recogniser"] == "610"
    not_own = await act(node, "huyen", "23353", "submit")
    assert not_own.status_code == 403 and not_own.json()["code"] == "dossier_not_own_unit"
    await act(node, "xa_dakpek", "23353", "submit")
    province = await act(node, "tinh", "23353", "open")
    assert province.status_code == 403 and province.json()["code"] == "not_recogniser"
    await act(node, "huyen", "23353", "open")
    await act(node, "huyen", "23353", "return", {"reason": "Thiếu biên bản họp"})
    await act(node, "xa_dakpek", "23353", "submit")
    await act(node, "huyen", "23353", "open")
    await act(node, "huyen", "23353", "recognise", DECISION)
    state = await status(node, "23353", "huyen")
    assert (state["evaluation"]["level_reached"], state["claimed_level"]) == (1, 1)
    assert (state["recognized_level"], state["dossier_status"]) == (1, "recognised")
    async with node.db.read() as conn:
        row = (await conn.execute(select(dossiers).where(dossiers.c.unit_code == "23353"))).one()
        actions = (
            (await conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "dossier")))
            .scalars()
            .all()
        )
    assert row.decision["recogniser"] == "610" and row.decision["level"] == 1
    assert row.decision["unit_name"] == "Xã Đắk Pék"
    assert actions == [
        f"dossier.{a}" for a in ("submit", "open", "return", "submit", "open", "recognise")
    ]


async def test_whole_lifecycle_with_return_in_the_four_level_federation(node: Node):
    node = reconfigured(node, hierarchy="vn-2008")
    await commune_at_level_1(node, "23353", "xa_dakpek")
    body = await walk_lifecycle(node, "23353", "xa_dakpek", "huyen")
    assert body["recogniser"] == "610"


async def test_whole_lifecycle_in_the_two_level_federation(node: Node, password_hash: str):
    await two_level_province(node, password_hash)  # default hierarchy: vn-2025
    await commune_at_level_1(node, TINH_KHE, "xa_tinhkhe")
    body = await walk_lifecycle(node, TINH_KHE, "xa_tinhkhe", "so_qn")
    assert body["recogniser"] == "51"
    state = await status(node, TINH_KHE, "so_qn")
    assert state["recognized_level"] == 1 and state["dossier_status"] == "recognised"


async def test_a_commune_officer_cannot_recognise_its_own_commune(node: Node):
    node = reconfigured(node, hierarchy="vn-2008")
    await commune_at_level_1(node, "23353", "xa_dakpek")
    await act(node, "xa_dakpek", "23353", "submit")
    for action, body in (("open", None), ("recognise", DECISION), ("return", {"reason": "x"})):
        answer = await act(node, "xa_dakpek", "23353", action, body)
        assert answer.status_code == 403 and answer.json()["code"] == "recognize_own_unit"
    direct = await node.client.post(
        "/api/units/23353/recognitions",
        json={**DECISION, "year": 2025},
        headers=node.auth("xa_dakpek"),
    )
    assert direct.status_code == 403


async def test_a_district_cannot_recognise_a_commune_outside_its_subtree(
    node: Node, password_hash: str
):
    node = reconfigured(node, hierarchy="vn-2008")
    created = await node.client.post(
        "/api/units",
        json={"code": "611", "name": "Huyện Ngọc Hồi", "level": "district", "parent_code": "62"},
        headers=node.auth("admin"),
    )
    assert created.status_code == 201, created.text
    await node.add_user("huyen_ngochoi", "district_officer", "611", password_hash)
    await commune_at_level_1(node, "23353", "xa_dakpek")
    await act(node, "xa_dakpek", "23353", "submit")
    for action in ("open", "recognise"):
        answer = await act(node, "huyen_ngochoi", "23353", action, DECISION)
        assert answer.status_code == 403 and answer.json()["code"] == "out_of_scope"


async def test_the_2025_hierarchy_gives_communes_to_the_province_not_the_district(node: Node):
    await commune_at_level_1(node, "23353", "xa_dakpek")  # Kon Tum data, vn-2025 in force
    await act(node, "xa_dakpek", "23353", "submit")
    district = await act(node, "huyen", "23353", "open")
    assert district.status_code == 403 and district.json()["code"] == "not_recogniser"
    assert (await act(node, "tinh", "23353", "open")).json()["status"] == "under_review"


async def test_a_dossier_needs_a_level_to_claim(node: Node):
    nothing = await act(node, "xa_dakpek", "23353", "submit")
    assert nothing.status_code == 422 and nothing.json()["code"] == "dossier_claim_invalid"
    unknown = await act(node, "xa_dakpek", "23353", "approve")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    claimed = await act(node, "xa_dakpek", "23353", "submit", {"claimed_level": 1})
    assert claimed.json()["claimed_level"] == 1 and claimed.json()["level_reached"] == 0
