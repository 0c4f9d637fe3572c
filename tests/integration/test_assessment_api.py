"""Self-assessment, evaluation in the status, targets, roadmaps and recognitions over HTTP."""

from __future__ import annotations

from tests.conftest import FIXTURES, Node
from tests.factories import tally_body, tally_values

ATTESTED = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]
ENTERED = {"4.1": 1, "4.2": 2, "4.3": 2, "4.4": 1}


async def answer_everything(node: Node, commune: str = "23353", officer: str = "xa_dakpek"):
    """The commune officer attests every judgement with evidence and enters PCGD–XMC levels."""
    headers = node.auth(officer)
    for code in ATTESTED:
        answer = await node.client.put(
            f"/api/units/{commune}/assessment/2025/{code}",
            json={"met": True, "evidence": [f"QĐ-{code}"], "comment": "Đã thực hiện"},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
    for code, level in ENTERED.items():
        answer = await node.client.put(
            f"/api/units/{commune}/assessment/2025/{code}", json={"level": level}, headers=headers
        )
        assert answer.status_code == 200, answer.text


async def submit_villages(node: Node, recognised: int):
    """Three villages of Đắk Pék with citizens_recognized set so the commune rate is known."""
    for index, village in enumerate(["23353-01", "23353-02", "23353-03"]):
        body = tally_body(village, values=None)
        body["values"] = tally_values(
            citizens_recognized=recognised if index == 0 else 240, citizens_registered=300
        )
        answer = await node.client.post("/api/tallies", json=body, headers=node.auth("admin"))
        assert answer.status_code == 201, answer.text


async def status(node: Node, code: str, user: str = "huyen") -> dict:
    """GET the unit status for 2025."""
    answer = await node.client.get(
        f"/api/units/{code}/status", params={"year": 2025}, headers=node.auth(user)
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_commune_reaches_level_1_with_60_percent_and_everything_answered(node: Node):
    await answer_everything(node)
    await submit_villages(node, recognised=240)  # 720 / 1200 = 60%
    evaluation = (await status(node, "23353"))["evaluation"]
    assert evaluation["level_reached"] == 1


async def test_commune_below_60_percent_reaches_no_level_and_is_told_why(node: Node):
    await answer_everything(node)
    await submit_villages(node, recognised=238)  # 718 / 1200 = 59.8%
    evaluation = (await status(node, "23353"))["evaluation"]
    assert evaluation["level_reached"] == 0
    missing = {m["code"]: m for m in evaluation["missing"]}
    assert set(missing) == {"5.1"}
    assert "5.1" in missing["5.1"]["explanation"]["vi"]
    assert "60" in missing["5.1"]["explanation"]["en"]


async def test_a_yes_without_evidence_does_not_count(node: Node):
    await answer_everything(node)
    await node.client.put(
        "/api/units/23353/assessment/2025/1.1", json={"met": True}, headers=node.auth("xa_dakpek")
    )
    await submit_villages(node, recognised=240)
    evaluation = (await status(node, "23353"))["evaluation"]
    assert evaluation["level_reached"] == 0
    assert [m["code"] for m in evaluation["missing"]] == ["1.1"]


async def test_answers_keep_their_history_and_are_validated(node: Node):
    headers = node.auth("xa_dakpek")
    await node.client.put(
        "/api/units/23353/assessment/2025/1.1", json={"met": False}, headers=headers
    )
    await node.client.put(
        "/api/units/23353/assessment/2025/1.1",
        json={"met": True, "evidence": ["KH-01"]},
        headers=headers,
    )
    history = await node.client.get("/api/units/23353/assessment/2025/1.1/history", headers=headers)
    assert [h["met"] for h in history.json()] == [True, False]
    wrong_kind = await node.client.put(
        "/api/units/23353/assessment/2025/4.1", json={"met": True}, headers=headers
    )
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["code"] == "assessment_value_invalid"
    unknown = await node.client.put(
        "/api/units/23353/assessment/2025/9.9", json={"met": True}, headers=headers
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "indicator_not_found"
    computed = await node.client.put(
        "/api/units/23353/assessment/2025/5.1", json={"met": True}, headers=headers
    )
    assert computed.status_code == 404  # computed from tallies, never typed in


async def test_who_may_answer_and_who_may_recognise(node: Node):
    other = await node.client.put(
        "/api/units/23353/assessment/2025/1.1", json={"met": True}, headers=node.auth("xa_dakman")
    )
    assert other.status_code == 403
    viewer = await node.client.put(
        "/api/units/610/assessment/2025/1.1", json={"met": True}, headers=node.auth("xem")
    )
    assert viewer.status_code == 403
    decision = {
        "year": 2025,
        "level": 1,
        "decision_no": "123/QĐ-UBND",
        "decided_on": "2026-03-20",
        "signer": "Chủ tịch UBND huyện",
    }
    own = await node.client.post(
        "/api/units/23353/recognitions", json=decision, headers=node.auth("xa_dakpek")
    )
    assert own.status_code == 403
    by_district = await node.client.post(
        "/api/units/23353/recognitions", json=decision, headers=node.auth("huyen")
    )
    assert by_district.status_code == 201
    itself = await node.client.post(
        "/api/units/610/recognitions", json=decision, headers=node.auth("huyen")
    )
    assert itself.status_code == 403 and itself.json()["code"] == "recognize_own_unit"
    assert (await status(node, "23353"))["recognized_level"] == 1


async def recognise(node: Node, communes: list[str]):
    """The district recognises these communes at level 1 for 2025."""
    for code in communes:
        answer = await node.client.post(
            f"/api/units/{code}/recognitions",
            json={
                "year": 2025,
                "level": 1,
                "decision_no": f"{code}/QĐ",
                "decided_on": "2026-03-31",
                "signer": "Chủ tịch UBND huyện",
            },
            headers=node.auth("huyen"),
        )
        assert answer.status_code == 201, answer.text


async def district_indicator_4_1(node: Node) -> str:
    """Status of the district's 4.1 (share of communes recognised) at level 1."""
    evaluation = (await status(node, "610", "tinh"))["evaluation"]
    level_1 = evaluation["levels"][0]
    results = {i["code"]: i for c in level_1["criteria"] for i in c["indicators"]}
    return results["4.1"]["status"]


async def test_district_share_of_recognised_communes_counts_children(node: Node):
    communes = [
        "23341",
        "23344",
        "23347",
        "23350",
        "23353",
        "23356",
        "23359",
        "23362",
        "23365",
        "23368",
        "23371",
        "23374",
    ]
    await recognise(node, communes[:10])  # 10 / 12 = 83%
    assert await district_indicator_4_1(node) == "unmet"
    await recognise(node, communes[10:11])  # 11 / 12 = 91.7%
    assert await district_indicator_4_1(node) == "met"


async def test_targets_show_the_gap_and_roadmaps_are_checked(node: Node):
    put = await node.client.put(
        "/api/units/23353/targets/2025",
        json={"target_level": 1, "rates": {"citizens_recognized_rate": 65}},
        headers=node.auth("huyen"),
    )
    assert put.status_code == 200
    await submit_villages(node, recognised=240)
    state = await status(node, "23353")
    assert state["target"]["target_level"] == 1
    assert state["progress"]["level_gap"] == 1 and state["progress"]["behind"] is True
    assert state["progress"]["rate_gaps"]["citizens_recognized_rate"] == 5.0
    csv = (FIXTURES / "roadmap-kontum-dakglei.csv").read_bytes()
    imported = await node.client.post(
        "/api/targets/import",
        content=csv,
        headers={**node.auth("tinh"), "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200 and imported.json()["imported"] > 20
    problems = await node.client.get(
        "/api/targets/roadmap-check", params={"unit": "62"}, headers=node.auth("tinh")
    )
    flagged = {(p["unit"], p["year"]) for p in problems.json()}
    assert ("610", 2025) in flagged
    assert all(p["message_vi"] and p["message_en"] for p in problems.json())


async def test_a_commune_officer_cannot_set_targets_and_bad_targets_are_refused(node: Node):
    refused = await node.client.put(
        "/api/units/23353/targets/2025", json={"target_level": 1}, headers=node.auth("xa_dakpek")
    )
    assert refused.status_code == 403
    bad = await node.client.put(
        "/api/units/23353/targets/2025",
        json={"rates": {"citizens_recognized_rate": 140}},
        headers=node.auth("huyen"),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "target_rate_range"
    broken = await node.client.post(
        "/api/targets/import",
        content=b"\xff\xfe",
        headers={**node.auth("tinh"), "Content-Type": "text/csv"},
    )
    assert broken.status_code == 422
