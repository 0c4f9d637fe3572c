"""A Ministry node above the provinces: the `nation` level, its officers, and province pushes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.services.unit_sources import vietnam_provinces_lines
from shared_schema.framework_loader import load_framework
from shared_schema.sync import snapshot_content_hash
from tests.conftest import Node, node_for
from tests.sync_helpers import enroll, push, signed, snapshot

PROVINCES = ("04", "08")  # Cao Bằng and Tuyên Quang after the 2025 reorganisation


@pytest.fixture
async def national(database_url: str, tmp_path: Path, password_hash: str) -> AsyncIterator[Node]:
    """A national node (unit VN) holding two provinces and their communes."""
    lines = [
        line
        for province in PROVINCES
        for line in vietnam_provinces_lines(province, nation=True)
        if line.level != "nation" or province == PROVINCES[0]
    ]
    async with node_for(database_url, tmp_path / "data", "VN", lines) as node:
        await node.add_user("admin", "admin", "VN", password_hash)
        await node.add_user("bo", "ministry_officer", "VN", password_hash)
        yield node


async def test_provinces_hang_under_the_nation_in_both_hierarchies() -> None:
    framework = load_framework()
    for code in ("vn-2025", "vn-2008"):
        hierarchy = framework.hierarchy(code)
        assert hierarchy is not None and hierarchy.levels[:2] == ["nation", "province"]
        assert hierarchy.recognised_by["province"] == "nation"
    lines = vietnam_provinces_lines(nation=True)
    assert sum(1 for line in lines if line.level == "province") == 34
    assert sum(1 for line in lines if line.level == "commune") == 3321
    assert {line.parent_code for line in lines if line.level == "province"} == {"VN"}


async def test_a_national_node_sums_the_provinces_it_receives(national: Node) -> None:
    keys = {p: await enroll(national, p) for p in PROVINCES}
    expected: dict[str, int] = {}
    for scale, province in enumerate(PROVINCES, start=1):
        province_snapshot = snapshot(province, province, scale=scale, level="province")
        answer = await push(national, signed(keys[province], province, [province_snapshot], "VN"))
        assert answer.status_code in (200, 201), answer.text
        assert answer.json()["accepted"] == 1, answer.text
        expected[province] = province_snapshot.totals["citizens_total"]
    view = await national.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "province"},
        headers=national.auth("bo"),
    )
    assert view.status_code == 200, view.text
    rows = {row["unit"]: row for row in view.json()}
    assert set(rows) == set(PROVINCES)
    assert {p: rows[p]["totals"]["citizens_total"] for p in PROVINCES} == expected
    status = await national.client.get(
        "/api/units/VN/status", params={"year": 2025}, headers=national.auth("bo")
    )
    assert status.status_code == 200, status.text


async def test_a_province_cannot_push_for_another_province(national: Node) -> None:
    key = await enroll(national, "04")
    foreign = snapshot("04", "08", level="province")
    answer = await push(national, signed(key, "04", [foreign], "VN"))
    assert answer.status_code >= 400 or "refused" in answer.text


async def test_a_province_cannot_claim_more_villages_than_its_communes_can_hold(
    national: Node,
) -> None:
    key = await enroll(national, "04")
    forged = snapshot("04", "04", level="province")
    forged.completeness.villages_total = 10**9  # the national node keeps no villages to count
    forged.totals["village_community_recognized"] = 10**9
    forged.content_hash = snapshot_content_hash(forged)
    answer = await push(national, signed(key, "04", [forged], "VN"))
    assert answer.json()["items"][0]["code"] == "sync_value_out_of_range", answer.text
