"""Decisions as the federation carries them: published where they are taken, applied below."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.repositories import decisions as repo
from backend.db.repositories import recognitions, targets
from backend.db.repositories import units as unit_repo
from backend.services.snapshots import mark_changed
from shared_schema.sync import Decision


async def publish(
    conn: AsyncConnection,
    kind: str,
    unit: str,
    year: int,
    payload: dict[str, Any],
    origin: str,
    issued_by: str,
) -> str:
    """Put a decision in this node's feed, in the caller's transaction; children pull it."""
    now = datetime.now(UTC)
    uid = uuid.uuid4().hex
    await repo.add(
        conn,
        uid=uid,
        kind=kind,
        unit_code=unit,
        year=year,
        payload=payload,
        origin=origin,
        issued_by=issued_by,
        issued_at=now,
        received_at=now,
    )
    return uid


async def apply_pulled(conn: AsyncConnection, decision: Decision) -> None:
    """Make a decision pulled from above take effect here (once: the caller stored it anew)."""
    if await unit_repo.get(conn, decision.unit) is None:
        return  # about an ancestor this node does not hold; kept for relaying only
    payload = decision.payload
    if decision.kind == "recognition" and "level" in payload:
        await recognitions.insert(
            conn,
            unit_code=decision.unit,
            year=decision.year,
            level=int(payload["level"]),
            decision_no=str(payload.get("decision_no", ""))[:80],
            decided_on=date.fromisoformat(str(payload.get("decided_on", date.today()))),
            signer=str(payload.get("signer", ""))[:120],
            recorded_by=f"federation:{decision.origin}"[:80],
            recorded_at=datetime.now(UTC),
        )
        await mark_changed(conn, decision.unit, decision.year)
    elif decision.kind == "target":
        level = payload.get("target_level")
        await targets.put(
            conn,
            decision.unit,
            decision.year,
            int(level) if level is not None else None,
            {k: float(v) for k, v in dict(payload.get("rates", {})).items()},
            f"federation:{decision.origin}",
        )
