"""The decision feed's cursor never jumps over a decision, whatever the commit order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from backend.db.repositories import decisions as repo
from backend.services import decisions
from backend.services.decision_effects import publish
from tests.conftest import Node

EVERYTHING = "/62/"  # a child path every decision of the fixture tree concerns


async def issue_one(node: Node, unit: str) -> str:
    """Publish a target decision in its own committed transaction."""
    async with node.db.write() as conn:
        return await publish(conn, "target", unit, 2025, {"rates": {}}, "62", "admin")


async def fed_uids(node: Node, since: int) -> tuple[set[str], int]:
    """The uids of one feed page and the cursor it hands back."""
    page = await decisions.feed(node.db, EVERYTHING, since)
    return {d.uid for d in page.decisions}, page.cursor


async def test_a_lower_decision_id_committing_after_a_higher_one_is_still_fed(node: Node):
    """A draws id 1, B draws id 2 and commits first: a pull in between must not skip A."""
    async with node.db.write() as first:
        slow = await publish(first, "target", "23353", 2025, {"rates": {}}, "62", "admin")
        quick = asyncio.create_task(issue_one(node, "23347"))
        await asyncio.wait({quick}, timeout=2.0)  # commits at once unless ids are kept in order
        seen, cursor = await fed_uids(node, 0)
    fast = await quick
    later, _ = await fed_uids(node, cursor)
    assert {slow, fast} <= seen | later


async def test_a_decision_committed_between_two_reads_of_the_feed_is_fed(
    node: Node, monkeypatch: pytest.MonkeyPatch
):
    first = await issue_one(node, "23353")
    read_page = repo.after
    sneaked: list[str] = []

    async def page_then_a_commit(*args: Any) -> Any:
        rows = await read_page(*args)
        if not sneaked:
            sneaked.append(await issue_one(node, "23347"))
        return rows

    monkeypatch.setattr(repo, "after", page_then_a_commit)
    seen, cursor = await fed_uids(node, 0)
    later, _ = await fed_uids(node, cursor)
    assert seen | later == {first, *sneaked}


async def test_the_cursor_of_an_empty_page_stays_where_it_was(node: Node):
    await issue_one(node, "23353")
    _, cursor = await fed_uids(node, 0)
    assert await fed_uids(node, cursor) == (set(), cursor)
