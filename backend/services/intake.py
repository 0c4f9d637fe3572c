"""A child's push, judged snapshot by snapshot: newer revisions kept, each bad one refused alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core import sync_errors
from backend.core.errors import DomainError
from backend.core.snapshot_checks import (
    MAX_REVISION,
    out_of_range,
    plausible_villages,
    village_bound,
)
from backend.core.snapshots import content_matches
from backend.db.database import Database
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import snapshots as snapshot_repo
from backend.db.repositories import units as unit_repo
from backend.services.receiving import check_jti, child_unit_below
from backend.services.snapshots import mark_changed, queues_up
from backend.services.timeliness import record_report_sent
from backend.services.units import UnitRecord
from shared_schema.framework import Framework
from shared_schema.sync import PushAck, PushVerdict, Snapshot, UncheckedPush


def _decoded(raw: Any) -> Snapshot:
    """One snapshot of the push in the Snapshot shape, or a payload problem for it alone."""
    try:
        return msgspec.convert(raw, Snapshot)
    except msgspec.ValidationError as exc:
        raise sync_errors.payload_invalid(str(exc)) from exc


async def _check(
    conn: AsyncConnection, framework: Framework, child: UnitRecord, snap: Snapshot, now: datetime
) -> None:
    """Scope, content hash and value ranges of one snapshot; raises the first problem."""
    for code in (snap.unit, snap.origin):
        row = await unit_repo.get(conn, code)
        if row is None or not row.path.startswith(child.path):
            raise sync_errors.out_of_subtree(code)
    if not content_matches(snap):
        raise sync_errors.payload_invalid(f"content hash of {snap.unit}/{snap.year}")
    unit = await unit_repo.get(conn, snap.unit)
    villages = await unit_repo.count_in_subtree(conn, unit.path, "village") if unit else 0
    if unit is not None and villages == 0:  # a node above the communes keeps no villages
        counts = {
            level.code: await unit_repo.count_in_subtree(conn, unit.path, level.code)
            for level in framework.unit_levels
            if level.max_villages
        }
        villages = plausible_villages(snap, village_bound(framework, counts))
    problem = out_of_range(framework, snap, villages, now)
    if problem is not None:
        raise problem


def _refusal(index: int, raw: Any, exc: DomainError) -> PushVerdict:
    """A refused verdict naming what it could of the item."""
    fields = raw if isinstance(raw, dict) else {}

    def text(name: str) -> str:
        value = fields.get(name)
        return value[:32] if isinstance(value, str) else ""

    def number(name: str) -> int:
        value = fields.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_REVISION:
            return value
        return 0

    return PushVerdict(
        index,
        "refused",
        text("origin"),
        text("unit"),
        number("year"),
        number("revision"),
        exc.code,
        exc.message_vi,
        exc.message_en,
    )


async def _store(
    conn: AsyncConnection, node_unit: str, child: UnitRecord, snap: Snapshot, now: datetime
) -> bool:
    """Keep a snapshot if it is newer; queue it on up and mark this node's figures stale."""
    if not await snapshot_repo.keep(conn, snap, child.code, now):
        return False
    if await queues_up(conn, node_unit):
        await snapshot_repo.enqueue(conn, snap, now)  # relayed on up, origin kept
    if snap.unit == snap.origin == child.code:
        await mark_changed(conn, child.parent_code or snap.unit, snap.year)
        if snap.completeness.villages_reported:
            await record_report_sent(conn, snap.unit, snap.year, now, child.code, via="federation")
    return True


async def _judge(
    conn: AsyncConnection,
    framework: Framework,
    node_unit: str,
    child: UnitRecord,
    index: int,
    raw: Any,
    now: datetime,
) -> PushVerdict:
    """The verdict on one snapshot of a push."""
    try:
        snap = _decoded(raw)
        await _check(conn, framework, child, snap, now)
    except DomainError as exc:
        return _refusal(index, raw, exc)
    kept = await _store(conn, node_unit, child, snap, now)
    verdict = "accepted" if kept else "unchanged"
    return PushVerdict(index, verdict, snap.origin, snap.unit, snap.year, snap.revision)


async def receive_push(
    db: Database, framework: Framework, node_unit: str, push: UncheckedPush
) -> PushAck:
    """Judge each snapshot of a verified child's push on its own, in one transaction."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        enrolment = await node_repo.active_child(conn, push.iss)
        if enrolment is None:
            raise sync_errors.unknown_node(push.iss)
        child = await child_unit_below(conn, node_unit, push.iss)
        await check_jti(conn, push.jti, push.iss, push.exp)
        verdicts = [
            await _judge(conn, framework, node_unit, child, index, raw, now)
            for index, raw in enumerate(push.snapshots)
        ]
        await node_repo.touch(conn, enrolment.id, now)
    tally = {v: sum(1 for item in verdicts if item.verdict == v) for v in ("accepted", "unchanged")}
    refused = len(verdicts) - sum(tally.values())
    return PushAck(tally["accepted"], tally["unchanged"], now, refused, verdicts)
