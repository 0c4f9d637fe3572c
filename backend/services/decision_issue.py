"""Issuing a decision through `POST /api/decisions`: the same checks as the dedicated routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.decision_rules import check_year, decode_payload
from backend.db.database import Database
from backend.db.repositories import decisions as repo
from backend.services.decision_effects import publish
from backend.services.decisions import wire
from backend.services.recognitions import store_recognition
from backend.services.snapshots import rebuild_all
from backend.services.targets import store_target
from backend.services.topology import move_in_transaction
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import RecognitionIn, TargetIn
from shared_schema.decision_payloads import (
    FrameworkVersionPayload,
    RecognitionPayload,
    TargetPayload,
    UnitMovePayload,
)
from shared_schema.framework import Framework
from shared_schema.sync import Decision, DecisionIn

Issuer = Callable[[AsyncConnection, Framework, Principal, UnitRecord, int, Any], Awaitable[str]]


async def _recognition(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    year: int,
    payload: RecognitionPayload,
) -> str:
    """As `POST /api/units/{code}/recognitions`: recogniser rules, the scale, never one's own."""
    body = RecognitionIn(
        year, payload.level, payload.decision_no, payload.decided_on, payload.signer
    )
    await store_recognition(conn, framework, actor, unit, body)
    uid = await repo.newest_uid(conn, "recognition", unit.code, year)
    assert uid is not None  # store_recognition published it in this transaction
    return uid


async def _target(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    year: int,
    payload: TargetPayload,
) -> str:
    """As `PUT /api/units/{code}/targets/{year}`: known rates, 0–100, a level in the scale."""
    body = TargetIn(payload.target_level, payload.rates)
    return await store_target(conn, framework, actor, unit, year, body)


async def _framework_version(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    year: int,
    payload: FrameworkVersionPayload,
) -> str:
    """A node administrator announces the framework version in force below a unit."""
    require(actor, "sync_admin")
    require_scope(actor, unit.path)
    version = {"version": payload.version or framework.version}
    return await publish(
        conn, "framework_version", unit.code, year, version, actor.unit_code, actor.username
    )


async def _unit_move(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    year: int,
    payload: UnitMovePayload,
) -> str:
    """As `POST /api/sync/units/{code}/move`: authority over both parents."""
    return await move_in_transaction(conn, framework, actor, unit, payload.parent, year)


ISSUERS: dict[str, Issuer] = {
    "recognition": _recognition,
    "target": _target,
    "framework_version": _framework_version,
    "unit_move": _unit_move,
}


async def issue(
    db: Database, framework: Framework, actor: Principal, node_unit: str, data: DecisionIn
) -> Decision:
    """Check a decision like its dedicated route would, store and publish it; children pull it."""
    payload = decode_payload(data.kind, data.payload)
    check_year(framework, data.year, datetime.now(UTC).date())
    async with db.write() as conn:
        unit = await load_unit(conn, data.unit)
        uid = await ISSUERS[data.kind](conn, framework, actor, unit, data.year, payload)
        if data.kind == "unit_move":
            await rebuild_all(conn, framework, node_unit)  # the old parent stops counting it
        row = await repo.by_uid(conn, uid)
    assert row is not None
    return wire(row)
