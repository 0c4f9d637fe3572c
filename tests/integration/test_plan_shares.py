"""Seed 001 (Hà Quảng): the district's roll-ups of its communes' levels reproduce the appendices."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.conftest import FIXTURES, Node, fixture_units, node_for

HA_QUANG = "045"

# Total rows ("Tổng toàn huyện") of seed 001's appendices: standard → year → communes per level.
APPENDIX_TOTALS = {
    "literacy": {  # appendix 1: MĐ1, MĐ2
        2020: {1: 6, 2: 15},
        2025: {1: 3, 2: 18},
        2030: {1: 0, 2: 21},
    },
    "preschool_3": {2020: {0: 3, 1: 18}, 2025: {1: 21}, 2030: {1: 21}},  # appendix 2
    "preschool_4": {2020: {1: 21}, 2025: {1: 21}, 2030: {1: 21}},
    "preschool_5": {2020: {1: 21}, 2025: {1: 21}, 2030: {1: 21}},
    "primary": {2025: {1: 0, 2: 0, 3: 21}, 2030: {1: 0, 2: 0, 3: 21}},  # appendix 3
    "lower_secondary": {  # appendix 4: MĐ1, MĐ2, MĐ3
        2020: {1: 5, 2: 6, 3: 10},
        2025: {1: 1, 2: 7, 3: 13},
        2030: {1: 1, 2: 5, 3: 15},
    },
}

# The targets of section II.2 are written as shares of the 21 communes (at a level or above).
PLAN_TARGETS = {
    2025: {
        "literacy_level_2_share": 85,  # "85% trở lên các xã, thị trấn đạt chuẩn XMC mức độ 2"
        "preschool_5_level_1_share": 100,
        "primary_level_3_share": 100,
        "lower_secondary_level_2_share": 90,  # "90% trở lên … THCS mức độ 2 trở lên"
        "lower_secondary_level_3_share": 60,  # "trong đó có 60% … đạt chuẩn mức độ 3"
    },
    2030: {
        "literacy_level_2_share": 100,
        "preschool_5_level_1_share": 100,
        "lower_secondary_level_2_share": 95,
        "lower_secondary_level_3_share": 70,
    },
}


# 2023: two more communes (Cần Nông, Thanh Long) reached literacy level 2 → 17 of 21.
LITERACY_2023 = {
    "01367": 2, "01372": 1, "01387": 2, "01420": 1, "01381": 1, "01375": 1, "01363": 2,
    "01366": 2, "01378": 2, "01384": 2, "01392": 2, "01393": 2, "01399": 2, "01402": 2,
    "01411": 2, "01414": 2, "01417": 2, "01429": 2, "01432": 2, "01435": 2, "01438": 2,
}  # fmt: skip


@pytest.fixture
async def ha_quang(database_url: str, tmp_path: Path, password_hash: str) -> AsyncIterator[Node]:
    """Cao Bằng's node: Hà Quảng's 21 communes with the levels of seed 001's appendices 1–4."""
    lines = fixture_units("units-caobang-haquang.csv")
    async with node_for(database_url, tmp_path / "data", "04", lines) as node:
        yield await _with_levels(node, password_hash)


async def _with_levels(node: Node, password_hash: str) -> Node:
    """The district's and province's officers, and the appendices' levels imported."""
    await node.add_user("so_caobang", "province_officer", "04", password_hash)
    await node.add_user("pgd_haquang", "district_officer", HA_QUANG, password_hash)
    levels = (FIXTURES / "standards-caobang-haquang.csv").read_bytes()
    imported = await node.client.post(
        "/api/standards/import",
        content=levels,
        headers={**node.auth("pgd_haquang"), "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 21 * 3
    await node.rebuild()  # the district's roll-up folds its communes' levels
    return node


async def shares(node: Node, year: int, basis: str, user: str = "pgd_haquang") -> dict:
    """The district's roll-up for a year: counts per (standard, level) and shares by code."""
    answer = await node.client.get(
        f"/api/units/{HA_QUANG}/shares",
        params={"year": year, "basis": basis},
        headers=node.auth(user),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def basis_of(year: int) -> str:
    """2020 is the result reached (baseline); 2025 and 2030 are the plan's levels."""
    return "actual" if year == 2020 else "planned"


@pytest.mark.parametrize("year", [2020, 2025, 2030])
async def test_district_roll_up_reproduces_every_appendix_total_row(ha_quang: Node, year: int):
    body = await shares(ha_quang, year, basis_of(year))
    assert body["communes"] == 21
    exactly = {(c["standard"], c["level"]): c["exactly"] for c in body["counts"]}
    for standard, years in APPENDIX_TOTALS.items():
        for level, communes in years.get(year, {}).items():
            assert exactly[(standard, level)] == communes, (standard, year, level)


@pytest.mark.parametrize("year", [2025, 2030])
async def test_the_plans_share_targets_follow_from_the_appendices(ha_quang: Node, year: int):
    body = await shares(ha_quang, year, "planned", user="so_caobang")
    values = {r["code"]: r for r in body["shares"]}
    for code, target in PLAN_TARGETS[year].items():
        assert values[code]["denominator"] == 21
        assert values[code]["value"] >= target, (code, values[code])
    assert values["literacy_level_2_share"]["numerator"] == (18 if year == 2025 else 21)
    assert values["literacy_level_2_share"]["value"] == (85.71 if year == 2025 else 100.0)


async def test_a_level_outside_its_scale_is_refused(ha_quang: Node):
    for levels in ({"literacy": 7}, {"primary": 4}, {"preschool_5": -1}):
        answer = await ha_quang.client.put(
            "/api/units/01367/standards/2024",
            json={"levels": levels},
            headers=ha_quang.auth("pgd_haquang"),
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "standard_level_out_of_scale"
    unknown = await ha_quang.client.put(
        "/api/units/01367/standards/2024",
        json={"levels": {"numeracy": 1}},
        headers=ha_quang.auth("pgd_haquang"),
    )
    assert unknown.json()["code"] == "standard_unknown"
    fine = await ha_quang.client.put(
        "/api/units/01367/standards/2024",
        json={"levels": {"literacy": 2}},
        headers=ha_quang.auth("pgd_haquang"),
    )
    assert fine.status_code == 200
    assert (await shares(ha_quang, 2024, "actual"))["counts"][0]["units"] == 0  # preschool_3


async def test_a_self_assessment_level_is_checked_on_its_scale_and_counted(node: Node):
    seven = await node.client.put(
        "/api/units/23353/assessment/2025/4.4", json={"level": 7}, headers=node.auth("xa_dakpek")
    )
    assert seven.status_code == 422 and seven.json()["code"] == "standard_level_out_of_scale"
    assert "0 đến 2" in seven.json()["message_vi"]
    two = await node.client.put(
        "/api/units/23353/assessment/2025/4.4", json={"level": 2}, headers=node.auth("xa_dakpek")
    )
    assert two.status_code == 200, two.text
    district = await node.client.get(
        "/api/units/610/shares", params={"year": 2025}, headers=node.auth("huyen")
    )
    literacy = {r["code"]: r for r in district.json()["shares"]}["literacy_level_2_share"]
    assert (literacy["numerator"], literacy["denominator"], literacy["value"]) == (1, 1, 100.0)


async def test_a_share_target_is_accepted_shown_with_progress_and_checked(ha_quang: Node):
    put = await ha_quang.client.put(
        f"/api/units/{HA_QUANG}/targets/2025",
        json={"rates": {"literacy_level_2_share": 85, "lower_secondary_level_3_share": 70}},
        headers=ha_quang.auth("so_caobang"),
    )
    assert put.status_code == 200, put.text
    for code in ("01367", "01372"):  # two communes reach literacy level 2 in 2025
        await ha_quang.client.put(
            f"/api/units/{code}/standards/2025",
            json={"levels": {"literacy": 2}},
            headers=ha_quang.auth("pgd_haquang"),
        )
    await ha_quang.rebuild()
    state = await ha_quang.client.get(
        f"/api/units/{HA_QUANG}/status", params={"year": 2025}, headers=ha_quang.auth("so_caobang")
    )
    body = state.json()
    shown = {r["code"]: r for r in body["rates"]}
    assert shown["literacy_level_2_share"]["numerator"] == 2
    assert body["progress"]["rate_gaps"]["literacy_level_2_share"] == 85 - 100.0
    assert body["progress"]["behind"] is True  # lower secondary level 3 has no actual data yet
    check = await ha_quang.client.get(
        "/api/targets/roadmap-check", params={"unit": HA_QUANG}, headers=ha_quang.auth("so_caobang")
    )
    problems = {p["indicator"]: p for p in check.json()}
    assert set(problems) == {"lower_secondary_level_3_share"}  # the plan has 13/21 = 61.9% < 70
    assert (
        problems["lower_secondary_level_3_share"]["planned"],
        problems["lower_secondary_level_3_share"]["total"],
    ) == (13, 21)
    assert "13/21" in problems["lower_secondary_level_3_share"]["message_vi"]
    refused = await ha_quang.client.put(
        f"/api/units/{HA_QUANG}/targets/2025",
        json={"rates": {"literacy_level_3_share": 50}},
        headers=ha_quang.auth("so_caobang"),
    )
    assert refused.json()["code"] == "target_rate_unknown"  # literacy has levels 1–2 only


async def test_shares_travel_in_snapshots_to_the_federation_view(node: Node):
    for code, level in (("23353", 2), ("23347", 1), ("23341", 2)):
        answer = await node.client.put(
            f"/api/units/{code}/standards/2025",
            json={"levels": {"literacy": level}},
            headers=node.auth("huyen"),
        )
        assert answer.status_code == 200, answer.text
    await node.rebuild()
    view = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "district", "sort": "rate:literacy_level_2_share"},
        headers=node.auth("tinh"),
    )
    assert view.status_code == 200, view.text
    [district] = [r for r in view.json() if r["unit"] == "610"]
    assert district["rates"]["literacy_level_2_share"] == 66.67  # 2 of the 3 communes entered
    assert district["rates"]["literacy_level_1_share"] == 100.0
    assert district["rates"]["learning_community_level_1_share"] == 0.0  # none recognised


async def download(node: Node, path: str, year: int) -> bytes:
    """A report of the district for a year, as the province officer."""
    answer = await node.client.get(path, params={"year": year}, headers=node.auth("so_caobang"))
    assert answer.status_code == 200, answer.text
    return answer.content


async def test_reports_show_the_communes_per_level_and_the_shares(ha_quang: Node):
    content = await download(ha_quang, f"/api/units/{HA_QUANG}/reports/units-summary.xlsx", 2020)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Phổ cập, XMC 2020"]
    rows = {(r[1], r[2]): r for r in sheet.iter_rows(min_row=5, values_only=True) if r[1]}
    literacy_2 = rows[("Xóa mù chữ", "Mức độ 2")]
    assert literacy_2[3:6] == (15, 15, 21) and abs(literacy_2[6] - 15 / 21) < 1e-4
    assert rows[("Phổ cập giáo dục trung học cơ sở", "Mức độ 1")][3:5] == (5, 21)
    formats = {c.number_format for row in sheet.iter_rows(min_row=5) for c in row[3:7]}
    assert formats <= {"#,##0", "0.0%", "General"} and "0.0%" in formats
    table = openpyxl.load_workbook(
        io.BytesIO(
            await download(ha_quang, f"/api/units/{HA_QUANG}/reports/criteria-summary.xlsx", 2020)
        )
    ).active
    lines = {r[0]: r[3:6] for r in table.iter_rows(values_only=True) if r[0] and r[3] is not None}
    share = lines["Tỷ lệ xã đạt chuẩn xóa mù chữ mức độ 2 trở lên"]
    assert share[1:] == (15, 21) and abs(share[0] - 15 / 21) < 1e-4
    document = docx.Document(
        io.BytesIO(
            await download(ha_quang, f"/api/units/{HA_QUANG}/reports/self-assessment.docx", 2020)
        )
    )
    paragraphs = [p.text for p in document.paragraphs]
    assert "- Đơn vị chủ trì: Chi cục Thống kê" in paragraphs  # 4.2, seed 003 appendix 3
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in document.tables for r in t.rows}
    assert rows["Tỷ lệ xã đạt chuẩn xóa mù chữ mức độ 2 trở lên"][1:] == ["15", "21", "71,4%"]


async def test_period_plans_show_progress_against_the_end_and_the_straight_path(ha_quang: Node):
    plans = (FIXTURES / "plans-caobang-haquang.csv").read_bytes()
    imported = await ha_quang.client.post(
        "/api/plans/import",
        content=plans,
        headers={**ha_quang.auth("so_caobang"), "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200 and imported.json()["imported"] == 2, imported.text
    rows = [f"{code},2023,actual,{level}" for code, level in LITERACY_2023.items()]
    await ha_quang.client.post(
        "/api/standards/import",
        content="\n".join(["unit_code,year,basis,literacy", *rows]).encode(),
        headers={**ha_quang.auth("pgd_haquang"), "Content-Type": "text/csv"},
    )
    answer = await ha_quang.client.get(
        f"/api/units/{HA_QUANG}/plans", params={"year": 2023}, headers=ha_quang.auth("so_caobang")
    )
    assert answer.status_code == 200, answer.text
    first, second = answer.json()
    assert (first["code"], first["baseline_year"], first["end_year"]) == ("2021-2025", 2020, 2025)
    literacy = {t["code"]: t for t in first["targets"]}["literacy_level_2_share"]
    assert literacy["baseline"] == 71.43  # 15 of 21 communes in 2020
    assert literacy["actual"] == 80.95  # 17 of 21 in 2023
    assert literacy["on_path"] == 79.57  # 71.43 + (85 − 71.43) × 3/5
    assert literacy["gap_to_target"] == 4.05 and literacy["behind"] is False
    assert literacy["planned"] == 85.71  # the communes' own 2025 levels: 18 of 21
    assert second["code"] == "2026-2030"
    refused = await ha_quang.client.put(
        f"/api/units/{HA_QUANG}/plans/2031-2035",
        json={"baseline_year": 2030, "end_year": 2035, "targets": {"literacy_level_9_share": 1}},
        headers=ha_quang.auth("so_caobang"),
    )
    assert refused.status_code == 422 and refused.json()["code"] == "target_rate_unknown"


async def test_a_body_sees_its_indicators_and_the_evidence_still_missing(node: Node):
    answer = await node.client.put(
        "/api/units/23353/assessment/2025/2.2",
        json={"met": True, "evidence": ["Báo cáo vận động xã hội hóa 2025"]},
        headers=node.auth("xa_dakpek"),
    )
    assert answer.status_code == 200, answer.text
    bodies = await node.client.get(
        "/api/units/23353/responsibilities", params={"year": 2025}, headers=node.auth("xa_dakpek")
    )
    by_code = {b["body"]: b for b in bodies.json()}
    association = by_code["khuyen_hoc"]
    assert association["name_vi"] == "Hội Khuyến học"
    assert association["leads"] == ["2.2", "5.1"]  # seed 004's appendix
    assert "1.1" in association["supports"]
    assert association["missing_evidence"] == []  # 2.2 has its evidence; 5.1 is computed
    office = by_code["van_hoa_xa_hoi"]
    assert "1.2" in office["missing_evidence"] and "2.2" not in office["missing_evidence"]
    assert by_code["kinh_te"]["missing_evidence"] == ["2.1"]
    district = await node.client.get(
        "/api/units/610/responsibilities", params={"year": 2025}, headers=node.auth("huyen")
    )
    assert {b["body"]: b["leads"] for b in district.json()}["thong_ke"] == ["4.2"]  # seed 003


async def test_the_checklist_names_each_indicators_bodies(node: Node):
    view = await node.client.get(
        "/api/units/23353/assessment", params={"year": 2025}, headers=node.auth("xa_dakpek")
    )
    responsible = view.json()["responsible"]
    assert responsible["2.1"] == "chủ trì: Phòng Kinh tế; phối hợp: Phòng Văn hóa – Xã hội"
