"""A recognition holds for the year it was decided for: the district's 4.1 counts renewals only."""

from __future__ import annotations

from datetime import date

from tests.conftest import Node

DAK_GLEI_COMMUNES = [
    "23341", "23344", "23347", "23350", "23353", "23356",
    "23359", "23362", "23365", "23368", "23371", "23374",
]  # fmt: skip


async def recognise(node: Node, communes: list[str], year: int) -> None:
    """The district recognises these communes at level 1 for an assessment year."""
    for code in communes:
        answer = await node.client.post(
            f"/api/units/{code}/recognitions",
            json={
                "year": year,
                "level": 1,
                "decision_no": f"{code}-{year}/QĐ",
                "decided_on": min(date(year + 1, 3, 20), date.today()).isoformat(),
                "signer": "Chủ tịch UBND huyện",
            },
            headers=node.auth("huyen"),
        )
        assert answer.status_code == 201, answer.text


async def district_4_1(node: Node, year: int) -> dict:
    """The district's indicator 4.1 at level 1 as the province sees it."""
    answer = await node.client.get(
        "/api/units/610/status", params={"year": year}, headers=node.auth("tinh")
    )
    level_1 = answer.json()["evaluation"]["levels"][0]
    return {i["code"]: i for c in level_1["criteria"] for i in c["indicators"]}["4.1"]


async def commune_recognised(node: Node, code: str, year: int) -> int | None:
    """The recognised level a commune's status shows for a year."""
    answer = await node.client.get(
        f"/api/units/{code}/status", params={"year": year}, headers=node.auth("huyen")
    )
    return answer.json()["recognized_level"]


async def test_a_2024_recognition_does_not_count_in_2026_unless_renewed(node: Node):
    await recognise(node, DAK_GLEI_COMMUNES, 2024)
    in_2024 = await district_4_1(node, 2024)
    assert in_2024["status"] == "met" and in_2024["values"]["count"] == 12
    in_2026 = await district_4_1(node, 2026)
    assert in_2026["status"] == "unmet" and in_2026["values"]["count"] == 0
    assert await commune_recognised(node, "23353", 2024) == 1
    assert await commune_recognised(node, "23353", 2026) is None
    await recognise(node, DAK_GLEI_COMMUNES[:11], 2026)  # renewed ("duy trì") for 11 of 12
    renewed = await district_4_1(node, 2026)
    assert renewed["status"] == "met" and renewed["values"]["count"] == 11
