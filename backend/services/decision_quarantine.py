"""The operator's side of decisions that could not be applied here: list, retry, drop, count."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.core.access import Principal, require
from backend.core.errors import NotFound
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import decision_quarantine as quarantine
from backend.db.repositories import decisions as repo
from backend.services.decision_effects import PoisonDecision, store_and_apply
from shared_schema.decision_payloads import QuarantinedDecision
from shared_schema.framework import Framework


def _not_quarantined(uid: str) -> NotFound:
    """The operator named a decision that is not waiting in quarantine."""
    return NotFound(
        "decision_not_quarantined",
        f"Không có quyết định {uid} trong danh sách cách ly",
        f"No quarantined decision {uid}",
    )


async def quarantined(db: Database, actor: Principal) -> list[QuarantinedDecision]:
    """Decisions from the parent waiting for the operator, oldest first."""
    require(actor, "sync_admin")
    async with db.read() as conn:
        return await quarantine.listing(conn)


async def retry(
    db: Database, framework: Framework, actor: Principal, node_unit: str, uid: str
) -> str | None:
    """Apply a quarantined decision again; None when it took effect, else the new reason."""
    require(actor, "sync_admin")
    async with db.read() as conn:
        item = await quarantine.get(conn, uid)
    if item is None:
        raise _not_quarantined(uid)
    now = datetime.now(UTC)
    try:
        async with db.write() as conn:
            if await repo.by_uid(conn, uid) is None:
                await store_and_apply(conn, item.decision, framework, node_unit, now)
            await quarantine.remove(conn, uid)
            await audit.record(conn, actor, "decision.retry", "decision", uid, item.decision.unit)
    except PoisonDecision as poison:
        async with db.write() as conn:
            await quarantine.put(conn, poison.decision, poison.reason, now)
        return poison.reason
    return None


async def drop(db: Database, actor: Principal, uid: str) -> None:
    """Give up on a quarantined decision (it stays in the parent's feed and audit log)."""
    require(actor, "sync_admin")
    async with db.write() as conn:
        item = await quarantine.get(conn, uid)
        if item is None or not await quarantine.remove(conn, uid):
            raise _not_quarantined(uid)
        await audit.record(
            conn, actor, "decision.drop", "decision", uid, item.decision.unit, reason=item.reason
        )


async def decision_health(db: Database) -> dict[str, int]:
    """What `GET /health` shows about decisions: how many wait in quarantine."""
    async with db.read() as conn:
        return {"decisions_quarantined": await quarantine.count(conn)}
