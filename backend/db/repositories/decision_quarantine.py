"""Decisions from the parent that could not be applied here: kept with their reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.times import utc
from backend.db.decision_tables import decision_quarantine as table
from backend.db.repositories.snapshots import upsert
from shared_schema.decision_payloads import (
    QuarantinedDecision,
    decision_from_dict,
    decision_to_dict,
)
from shared_schema.sync import Decision


async def put(conn: AsyncConnection, decision: Decision, reason: str, now: datetime) -> None:
    """Quarantine a decision, or count one more failed attempt of one already here."""
    insert = upsert(conn, table).values(
        uid=decision.uid,
        kind=decision.kind[:32],
        unit_code=decision.unit[:32],
        year=decision.year,
        body=decision_to_dict(decision),
        reason=reason,
        attempts=1,
        quarantined_at=now,
        last_attempt_at=now,
    )
    await conn.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.uid],
            set_={"reason": reason, "attempts": table.c.attempts + 1, "last_attempt_at": now},
        )
    )


def _quarantined(row: object) -> QuarantinedDecision:
    """Row → domain type."""
    return QuarantinedDecision(
        decision=decision_from_dict(row.body),  # type: ignore[attr-defined]
        reason=row.reason,  # type: ignore[attr-defined]
        attempts=row.attempts,  # type: ignore[attr-defined]
        quarantined_at=utc(row.quarantined_at),  # type: ignore[attr-defined]
        last_attempt_at=utc(row.last_attempt_at),  # type: ignore[attr-defined]
    )


async def listing(conn: AsyncConnection) -> list[QuarantinedDecision]:
    """Every quarantined decision, oldest first."""
    rows = await conn.execute(select(table).order_by(table.c.quarantined_at, table.c.uid))
    return [_quarantined(r) for r in rows]


async def get(conn: AsyncConnection, uid: str) -> QuarantinedDecision | None:
    """One quarantined decision."""
    row = (await conn.execute(select(table).where(table.c.uid == uid))).first()
    return _quarantined(row) if row is not None else None


async def remove(conn: AsyncConnection, uid: str) -> bool:
    """Take a decision out of quarantine; False when it was not there."""
    return bool((await conn.execute(delete(table).where(table.c.uid == uid))).rowcount)


async def count(conn: AsyncConnection) -> int:
    """How many decisions wait for the operator."""
    return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())
