"""A decision from the parent that cannot apply here is quarantined; later ones still apply."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from backend.db.tables import decisions, targets, units
from backend.services import decisions as service
from shared_schema.sync import Decision, DecisionPage
from tests.conftest import Node

ROOT = Path(__file__).resolve().parent.parent.parent
SIGNED = {"decision_no": "7/QĐ-UBND", "decided_on": "2026-03-01", "signer": "Chủ tịch UBND tỉnh"}


def poisoned() -> Decision:
    """What an older parent let through: a recognition whose level is not a number."""
    return Decision("bad-1", "recognition", "23347", 2025, {"level": "abc"}, origin="62")


def good_target() -> Decision:
    """A valid target issued after the bad decision."""
    payload = {"target_level": 2, "rates": {}}
    return Decision("good-2", "target", "23347", 2026, payload, origin="62")


async def target_of(node: Node, unit: str, year: int) -> int | None:
    """The target level stored here for a unit and year."""
    async with node.db.read() as conn:
        query = select(targets.c.target_level).where(
            targets.c.unit_code == unit, targets.c.year == year
        )
        return (await conn.execute(query)).scalar_one_or_none()


def xhht(node: Node, *args: str) -> str:
    """Run the `xhht` command against the test node's database, as an operator would."""
    env = {
        **os.environ,
        "XHHT_DATABASE_URL": node.settings.database_url,
        "XHHT_UNIT": "62",
        "XHHT_DATA_DIR": str(node.settings.data_dir),
    }
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_a_bad_decision_is_quarantined_and_the_good_one_after_it_is_applied(node: Node):
    page = DecisionPage([poisoned(), good_target()], cursor=2)
    assert await service.store_pulled(node.db, page) == 1
    assert await target_of(node, "23347", 2026) == 2
    assert await service.cursor(node.db) == 2
    health = (await node.client.get("/health")).json()
    assert health["decisions_quarantined"] == 1
    listed = xhht(node, "decisions", "list")
    assert "bad-1" in listed and "decision_payload_invalid" in listed and "level" in listed
    assert await service.store_pulled(node.db, page) == 0  # the same page again changes nothing


async def test_a_decision_that_fails_while_applying_is_quarantined_too(node: Node):
    too_high = Decision("high-1", "recognition", "23347", 2025, {"level": 9, **SIGNED})
    page = DecisionPage([too_high, good_target()], cursor=9)
    assert await service.store_pulled(node.db, page) == 1
    assert await target_of(node, "23347", 2026) == 2
    async with node.db.read() as conn:
        kept = (await conn.execute(select(decisions.c.uid))).scalars().all()
    assert kept == ["good-2"]  # the refused one is not relayed to the nodes below either
    assert "recognition_level_invalid" in xhht(node, "decisions", "list")


async def test_the_operator_retries_a_decision_once_its_cause_is_fixed_and_drops_another(
    node: Node,
):
    move = Decision("move-1", "unit_move", "23347", 2026, {"parent": "699"}, origin="62")
    page = DecisionPage([move, poisoned(), good_target()], cursor=3)
    assert await service.store_pulled(node.db, page) == 1
    assert "unit_not_found" in xhht(node, "decisions", "list")
    assert "still refused" in xhht(node, "decisions", "retry", "move-1")
    async with node.db.write() as conn:  # the operator imports the missing district
        await conn.execute(
            units.insert().values(
                code="699",
                name="Huyện mới",
                level="district",
                parent_code="62",
                path="/62/699/",
                retired=False,
                created_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
            )
        )
    assert "move-1: applied" in xhht(node, "decisions", "retry", "move-1")
    async with node.db.read() as conn:
        parent = (
            await conn.execute(select(units.c.parent_code).where(units.c.code == "23347"))
        ).scalar_one()
    assert parent == "699"
    assert "bad-1: dropped" in xhht(node, "decisions", "drop", "bad-1")
    assert "0 quarantined decision(s)" in xhht(node, "decisions", "list")
    assert (await node.client.get("/health")).json()["decisions_quarantined"] == 0
