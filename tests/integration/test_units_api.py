"""Commune officers manage their villages; the hierarchy is data and keeps its history."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.tables import unit_parent_history
from backend.services.unit_sources import vietnam_provinces_lines
from backend.services.units import import_units, parse_units_csv, reparent_unit
from shared_schema.framework_loader import load_framework
from tests.conftest import FIXTURES, Node


async def test_commune_officer_creates_renames_and_retires_a_village(node: Node):
    officer = node.auth("xa_dakpek")
    created = await node.client.post(
        "/api/units",
        json={"code": "23353-04", "name": "Thôn Kon Riêng", "parent_code": "23353"},
        headers=officer,
    )
    assert created.status_code == 201 and created.json()["level"] == "village"
    renamed = await node.client.patch(
        "/api/units/23353-04", json={"name": "Thôn Kon Riêng Mới"}, headers=officer
    )
    assert renamed.json()["name"] == "Thôn Kon Riêng Mới"
    retired = await node.client.patch(
        "/api/units/23353-04", json={"retired": True}, headers=officer
    )
    assert retired.json()["retired"] is True
    children = await node.client.get("/api/units", params={"parent": "23353"}, headers=officer)
    assert [c["code"] for c in children.json()] == ["23353-01", "23353-02", "23353-03", "23353-04"]


async def test_a_commune_officer_cannot_create_a_commune_or_rename_their_own(node: Node):
    officer = node.auth("xa_dakpek")
    commune = await node.client.post(
        "/api/units",
        json={"code": "23999", "name": "Xã Mới", "level": "commune", "parent_code": "610"},
        headers=officer,
    )
    assert commune.status_code == 403
    own = await node.client.patch("/api/units/23353", json={"name": "X"}, headers=officer)
    assert own.status_code == 403


async def test_duplicate_codes_and_bad_levels_are_refused(node: Node):
    admin = node.auth("admin")
    dup = await node.client.post(
        "/api/units",
        json={"code": "23353-01", "name": "Trùng", "parent_code": "23353"},
        headers=admin,
    )
    assert dup.status_code == 409 and dup.json()["code"] == "unit_exists"
    upside_down = await node.client.post(
        "/api/units",
        json={
            "code": "699",
            "name": "Huyện dưới thôn",
            "level": "district",
            "parent_code": "23353-01",
        },
        headers=admin,
    )
    assert upside_down.status_code == 422 and upside_down.json()["code"] == "unit_parent_level"


async def test_both_fixture_hierarchies_import(node: Node):
    framework = load_framework()
    text = (FIXTURES / "units-caobang-haquang.csv").read_text(encoding="utf-8")
    count = await import_units(node.db, framework, parse_units_csv(text))
    assert count == 86
    answer = await node.client.get(
        "/api/units", params={"parent": "045"}, headers=node.auth("admin")
    )
    assert answer.status_code == 403  # Cao Bằng is outside the Kon Tum admin's unit


async def test_the_2025_two_level_hierarchy_loads_from_the_official_list(node: Node):
    lines = vietnam_provinces_lines("51")
    assert lines[0].level == "province" and all(line.level == "commune" for line in lines[1:])
    await import_units(node.db, load_framework(), lines)
    async with node.db.read() as conn:
        from backend.services.units import load_unit

        commune = await load_unit(conn, lines[1].code)
    assert commune.parent_code == "51" and commune.path == f"/51/{commune.code}/"


async def test_reparenting_a_commune_keeps_its_history(node: Node):
    framework = load_framework()
    async with node.db.write() as conn:
        await reparent_unit(conn, framework, "23353", "62")
    async with node.db.read() as conn:
        from backend.services.units import load_unit

        village = await load_unit(conn, "23353-01")
        history = (
            await conn.execute(
                select(unit_parent_history)
                .where(unit_parent_history.c.unit_code == "23353")
                .order_by(unit_parent_history.c.id)
            )
        ).all()
    assert village.path == "/62/23353/23353-01/"
    assert [h.parent_code for h in history] == ["610", "62"]
    assert history[0].valid_to is not None and history[1].valid_to is None
