"""Timeliness per unit from stored submissions, against configured deadlines, clock moved."""

from __future__ import annotations

from datetime import datetime

from backend.services.timeliness import record_report_sent, timeliness_for
from backend.services.units import load_unit
from shared_schema.calendar_overrides import framework_with_deadlines
from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.factories import tally_body
from tests.integration.dossier_helpers import act


def at(text: str) -> datetime:
    """An ISO instant."""
    return datetime.fromisoformat(text)


async def statuses(node: Node, year: int, now: str, framework=None) -> dict[str, tuple]:
    """Step → (deadline, status) for Đắk Pék as of `now`."""
    async with node.db.read() as conn:
        unit = await load_unit(conn, "23353")
        items = await timeliness_for(conn, framework or load_framework(), unit, year, at(now))
    return {i.step: (i.deadline.isoformat(), i.status) for i in items}


async def test_timeliness_follows_the_clock_and_the_configured_deadlines(node: Node):
    before = await statuses(node, 2025, "2025-12-14T12:00+07:00")
    assert before == {
        "commune_yearly_report": ("2025-12-15", "not_due"),
        "commune_self_assessment": ("2026-01-31", "not_due"),
        "commune_dossier": ("2026-02-15", "not_due"),
        "commune_recognition": ("2026-03-31", "not_due"),
        "interim_report_1": ("2025-06-30", "missing"),
        "interim_report_2": ("2025-12-15", "not_due"),
    }
    on_the_day = await statuses(node, 2025, "2025-12-15T00:00+07:00")
    assert on_the_day["commune_yearly_report"][1] == "missing"  # "trước 15/12": strictly before
    after = await statuses(node, 2025, "2026-02-16T00:00+07:00")
    assert after["commune_yearly_report"][1] == "missing"
    assert after["commune_dossier"][1] == "missing"
    async with node.db.write() as conn:
        await record_report_sent(
            conn, "23353", 2025, at("2025-12-14T20:00+07:00"), "xa_dakpek", "federation"
        )
        await record_report_sent(conn, "23353", 2025, at("2026-01-05T08:00+07:00"), "x", "manual")
    sent = await statuses(node, 2025, "2026-03-01T00:00+07:00")
    assert sent["commune_yearly_report"][1] == "on_time"  # the first sending counts
    submitted = await act(node, "xa_dakpek", "23353", "submit", {"claimed_level": 1}, year=2027)
    assert submitted.status_code == 200, submitted.text
    assert (await statuses(node, 2027, "2028-06-01T00:00Z"))["commune_dossier"][1] == "on_time"
    late_province = framework_with_deadlines(load_framework(), "commune_dossier=01/01")
    moved = await statuses(node, 2025, "2026-01-02T00:00+07:00", late_province)
    assert moved["commune_dossier"] == ("2026-01-01", "missing")


async def test_status_and_timeliness_routes_show_the_dossier_and_report(node: Node):
    await act(node, "xa_dakpek", "23353", "submit", {"claimed_level": 1}, year=2024)
    sent = await node.client.post(
        "/api/units/23353/yearly-report/2024/sent", headers=node.auth("xa_dakpek")
    )
    assert sent.status_code == 200, sent.text
    by_step = {i["step"]: i for i in sent.json()}
    assert by_step["commune_yearly_report"]["status"] == "late"  # sent after 15/12/2024
    assert by_step["commune_dossier"]["status"] == "late"
    not_own = await node.client.post(
        "/api/units/23353/yearly-report/2024/sent", headers=node.auth("huyen")
    )
    assert not_own.status_code == 403
    state = await node.client.get(
        "/api/units/23353/status", params={"year": 2024}, headers=node.auth("huyen")
    )
    body = state.json()
    assert body["claimed_level"] == 1 and body["dossier_status"] == "submitted"
    shown = {i["step"]: i["status"] for i in body["timeliness"]}
    assert shown["commune_yearly_report"] == "late" and shown["commune_dossier"] == "late"
    route = await node.client.get(
        "/api/units/23353/timeliness", params={"year": 2024}, headers=node.auth("tinh")
    )
    assert {i["step"]: i["status"] for i in route.json()} == shown


async def test_village_tallies_and_recognitions_are_tracked_against_their_dates(node: Node):
    answer = await node.client.post(
        "/api/tallies", json=tally_body("23353-01", year=2025), headers=node.auth("thon_dakpek_1")
    )
    assert answer.status_code == 201
    async with node.db.read() as conn:
        village = await load_unit(conn, "23353-01")
        [tally] = await timeliness_for(
            conn, load_framework(), village, 2025, at("2026-01-01T00:00Z")
        )
    assert (tally.step, tally.deadline.isoformat()) == ("village_tally", "2025-12-10")
    assert tally.submitted_at is not None  # sent now, in 2026: after "trước 10/12/2025"
    assert tally.status == "late"
    recognised = await node.client.post(
        "/api/units/23353/recognitions",
        json={"year": 2025, "level": 1, "decision_no": "12/QĐ", "decided_on": "2026-03-31",
              "signer": "Chủ tịch UBND huyện"},
        headers=node.auth("huyen"),
    )  # fmt: skip
    assert recognised.status_code == 201
    steps = await statuses(node, 2025, "2026-04-01T00:00+07:00")
    assert steps["commune_recognition"] == ("2026-03-31", "late")  # on the day: not "trước 31/3"
    sent = await node.client.post(
        "/api/units/23353/reports/commune_self_assessment/2025/sent",
        headers=node.auth("xa_dakpek"),
    )
    assert sent.status_code == 200, sent.text
    unknown = await node.client.post(
        "/api/units/23353/reports/no_such_report/2025/sent", headers=node.auth("xa_dakpek")
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "report_unknown"
