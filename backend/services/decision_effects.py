"""Decisions as the federation carries them: published where they are taken, applied below."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.decision_rules import decode_payload
from backend.core.errors import DomainError, InvalidInput
from backend.db.repositories import decisions as repo
from backend.db.repositories import recognitions, targets
from backend.db.repositories import units as unit_repo
from backend.services.snapshots import mark_changed, rebuild_all
from backend.services.units import reparent_unit
from shared_schema.decision_payloads import (
    DecisionPayload,
    RecognitionPayload,
    TargetPayload,
    UnitMovePayload,
)
from shared_schema.framework import Framework
from shared_schema.framework_loader import load_framework
from shared_schema.sync import Decision

TRANSIENT = (OperationalError, InterfaceError)  # the database, not the decision: retry the page


class PoisonDecision(Exception):
    """A pulled decision that cannot take effect here; it is quarantined, the others go on."""

    def __init__(self, decision: Decision, reason: str) -> None:
        super().__init__(reason)
        self.decision, self.reason = decision, reason


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


def _reason(exc: Exception) -> str:
    """Why a decision could not apply, for the operator (its problem code first, if any)."""
    if isinstance(exc, DomainError):
        return f"{exc.code}: {exc.message_en}"
    return f"{type(exc).__name__}: {exc}"[:500]


async def store_and_apply(
    conn: AsyncConnection,
    decision: Decision,
    framework: Framework | None,
    node_unit: str,
    now: datetime,
) -> None:
    """Keep a pulled decision under a new local id and make it take effect, or raise poison."""
    try:
        payload = decode_payload(decision.kind, decision.payload)
        await repo.add(
            conn,
            uid=decision.uid,
            kind=decision.kind,
            unit_code=decision.unit,
            year=decision.year,
            payload=decision.payload,
            origin=decision.origin,
            issued_by=decision.issued_by[:80],
            issued_at=decision.issued_at or now,
            received_at=now,
        )
        await apply_pulled(conn, decision, payload, framework or load_framework(), node_unit)
    except TRANSIENT:
        raise
    except Exception as exc:  # anything else is about this decision: never block the others
        raise PoisonDecision(decision, _reason(exc)) from exc


async def apply_pulled(
    conn: AsyncConnection,
    decision: Decision,
    payload: DecisionPayload,
    framework: Framework,
    node_unit: str,
) -> None:
    """Make a decision pulled from above take effect here (once: the caller stored it anew)."""
    unit = await unit_repo.get(conn, decision.unit)
    if unit is None:
        return  # about an ancestor this node does not hold; kept for relaying only
    if isinstance(payload, RecognitionPayload):
        await _apply_recognition(conn, decision, payload, framework, unit.level)
    elif isinstance(payload, TargetPayload):
        await targets.put(
            conn,
            decision.unit,
            decision.year,
            payload.target_level,
            payload.rates,
            f"federation:{decision.origin}",
        )
    elif isinstance(payload, UnitMovePayload) and unit.parent_code != payload.parent:
        await reparent_unit(conn, framework, decision.unit, payload.parent)
        await rebuild_all(conn, framework, node_unit)


async def _apply_recognition(
    conn: AsyncConnection,
    decision: Decision,
    payload: RecognitionPayload,
    framework: Framework,
    unit_level: str,
) -> None:
    """Record a recognition taken above, within the framework's scale for the unit's level."""
    criteria = framework.criteria_for(unit_level)
    if criteria is None or not 1 <= payload.level <= criteria.max_level():
        raise InvalidInput(
            "recognition_level_invalid",
            "Mức độ công nhận không hợp lệ",
            "Recognised level is not valid for this unit",
        )
    await recognitions.insert(
        conn,
        unit_code=decision.unit,
        year=decision.year,
        level=payload.level,
        decision_no=payload.decision_no[:80],
        decided_on=payload.decided_on,
        signer=payload.signer[:120],
        recorded_by=f"federation:{decision.origin}"[:80],
        recorded_at=datetime.now(UTC),
    )
    await mark_changed(conn, decision.unit, decision.year)
