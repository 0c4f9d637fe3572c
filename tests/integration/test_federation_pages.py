"""The federation view a page at a time: every page is the matching slice of the full list."""

from __future__ import annotations

import itertools

from backend.services.rebuilds import rebuild_pending
from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.factories import tally_body

YEAR = 2025


async def _view(node: Node, **params: object) -> tuple[list[dict], int]:
    answer = await node.client.get(
        "/api/federation/status", params={"year": YEAR, **params}, headers=node.auth("tinh")
    )
    assert answer.status_code == 200, answer.text
    return answer.json(), int(answer.headers["x-total-count"])


async def test_every_page_is_the_slice_of_the_full_list_in_every_order(node: Node):
    for village, user in (("23353-01", "thon_dakpek_1"), ("23353-02", "thon_dakpek_2")):
        body = tally_body(village, year=YEAR)
        answer = await node.client.post("/api/tallies", json=body, headers=node.auth(user))
        assert answer.status_code == 201
    await rebuild_pending(node.db, load_framework(), "62")
    rate = load_framework().tally.rates[0].code
    sorts = ["unit", "-unit_name", "parent", "-completeness", f"rate:{rate}", "timeliness"]
    for sort, q, level in itertools.product(sorts, ["", "35"], ["commune", "village"]):
        full, total = await _view(node, sort=sort, q=q, level=level)
        assert total == len(full) and total > 2, (sort, q, level, total)
        for offset, limit in ((0, 2), (1, 3), (total - 1, 5), (total + 4, 2), (2, 0)):
            page, count = await _view(node, sort=sort, q=q, level=level, offset=offset, limit=limit)
            want = full[offset : offset + limit] if limit else full[offset:]
            assert [r["unit"] for r in page] == [r["unit"] for r in want], (sort, q, offset)
            assert page == want and count == total


async def test_a_page_out_of_bounds_is_a_clear_problem(node: Node):
    for params in ({"limit": -1}, {"limit": 5001}, {"offset": -3}):
        answer = await node.client.get(
            "/api/federation/status",
            params={"year": YEAR, **params},
            headers=node.auth("tinh"),
        )
        assert answer.status_code == 422
        problem = answer.json()
        assert problem["code"] == "page_invalid"
        assert "Trang không hợp lệ" in str(problem) and "Invalid page" in str(problem)
