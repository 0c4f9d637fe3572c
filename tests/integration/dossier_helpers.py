"""Dossier test helpers: another hierarchy, a 2-level province, a commune at level 1."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from backend.services.unit_sources import vietnam_provinces_lines
from backend.services.units import UnitLine, import_units
from backend.web.app import create_app
from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.factories import tally_body, tally_values
from tests.integration.test_assessment_api import answer_everything

QUANG_NGAI = "51"
TINH_KHE = "21211"  # Xã Tịnh Khê


def reconfigured(node: Node, **settings: Any) -> Node:
    """The same database and users behind an app built with other settings (hierarchy, limits)."""
    changed = replace(node.settings, **settings)
    app = create_app(changed, migrate_on_start=False, database=node.db)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    return Node(client, node.db, changed, node.users)


async def two_level_province(node: Node, password_hash: str) -> None:
    """Quảng Ngãi (2025 list, province → communes) with three villages in Tịnh Khê, and users."""
    lines = vietnam_provinces_lines(QUANG_NGAI)
    lines += [UnitLine(f"{TINH_KHE}-0{i}", f"Thôn {i}", "village", TINH_KHE) for i in (1, 2, 3)]
    await import_units(node.db, load_framework(), lines)
    await node.add_user("so_qn", "province_officer", QUANG_NGAI, password_hash)
    await node.add_user("xa_tinhkhe", "commune_officer", TINH_KHE, password_hash)


async def commune_at_level_1(node: Node, commune: str, officer: str, year: int = 2025) -> None:
    """Judgements attested, PCGD–XMC levels entered, three villages at 60% learning citizens."""
    await answer_everything(node, commune, officer)
    for index in (1, 2, 3):
        body = tally_body(f"{commune}-0{index}", year, values=None)
        body["values"] = tally_values(citizens_recognized=240, citizens_registered=300)
        answer = await node.client.post("/api/tallies", json=body, headers=node.auth(officer))
        assert answer.status_code == 201, answer.text


async def act(node: Node, user: str, code: str, action: str, body: dict | None = None, year=2025):
    """POST a dossier action."""
    return await node.client.post(
        f"/api/units/{code}/dossier/{year}/{action}", json=body or {}, headers=node.auth(user)
    )


DECISION = {
    "level": 1,
    "decision_no": "125/QĐ-UBND",
    "decided_on": "2026-03-20",
    "signer": "Nguyễn Văn A",
}
