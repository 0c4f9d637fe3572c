"""Recognition decisions: a recogniser records the level it recognised for a unit below it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.border_checks import check_year
from backend.core.decision_rules import check_decided_on
from backend.core.errors import Forbidden, InvalidInput
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import recognitions as repo
from backend.services.decision_effects import publish
from backend.services.snapshots import mark_changed
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import Recognition, RecognitionIn
from shared_schema.framework import Framework


async def record_recognition(
    db: Database, framework: Framework, actor: Principal, code: str, body: RecognitionIn
) -> Recognition:
    """Store a decision; nobody recognises their own unit, and only inside their subtree."""
    check_year(framework, body.year)
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        return await store_recognition(conn, framework, actor, unit, body)


async def store_recognition(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    body: RecognitionIn,
) -> Recognition:
    """The checks and the insert, inside the caller's transaction (the dossier uses it too)."""
    require(actor, "recognize")
    require_scope(actor, unit.path)
    if unit.path == actor.unit_path:
        raise Forbidden(
            "recognize_own_unit",
            "Không được tự công nhận đơn vị của mình",
            "A unit cannot recognise itself",
        )
    criteria = framework.criteria_for(unit.level)
    if criteria is None or not 1 <= body.level <= criteria.max_level():
        raise InvalidInput(
            "recognition_level_invalid",
            "Mức độ công nhận không hợp lệ",
            "Recognised level is not valid for this unit",
        )
    check_decided_on(body.year, body.decided_on, datetime.now(UTC).date())
    if not body.decision_no.strip() or not body.signer.strip():
        raise InvalidInput(
            "recognition_incomplete",
            "Cần số quyết định và người ký",
            "Decision number and signer are required",
        )
    recognition_id = await repo.insert(
        conn,
        unit_code=unit.code,
        year=body.year,
        level=body.level,
        decision_no=body.decision_no.strip()[:80],
        decided_on=body.decided_on,
        signer=body.signer.strip()[:120],
        recorded_by=actor.username,
        recorded_at=datetime.now(UTC),
    )
    await audit.record(
        conn,
        actor,
        "recognition.record",
        "recognition",
        recognition_id,
        unit.code,
        year=body.year,
        level=body.level,
        decision_no=body.decision_no,
    )
    payload = {
        "level": body.level,
        "decision_no": body.decision_no.strip(),
        "decided_on": body.decided_on.isoformat(),
        "signer": body.signer.strip(),
    }
    await publish(
        conn, "recognition", unit.code, body.year, payload, actor.unit_code, actor.username
    )  # flows down to the recognised unit's node
    await mark_changed(conn, unit.code, body.year)  # and up, in the snapshots
    return Recognition(
        recognition_id,
        unit.code,
        body.year,
        body.level,
        body.decision_no.strip(),
        body.decided_on,
        body.signer.strip(),
        actor.username,
    )
