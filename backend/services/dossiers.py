"""Recognition dossiers: the unit submits, its recogniser opens, returns or recognises."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.dossier_rules import (
    next_state,
)
from backend.core.errors import InvalidInput
from backend.db.database import Database
from backend.db.repositories import assessments as answers_repo
from backend.db.repositories import audit
from backend.db.repositories import dossiers as repo
from backend.db.repositories import evidence as evidence_repo
from backend.services.assessments import _entry as answer_entry
from backend.services.dossier_access import check_actor, recogniser_code
from backend.services.dossier_views import dossier_view
from backend.services.evaluation import evaluate
from backend.services.evidence import to_meta
from backend.services.recognitions import store_recognition
from backend.services.rollup import unit_rollup
from backend.services.snapshots import mark_changed
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import RecognitionIn
from shared_schema.dossier_flow import load_dossier_flow
from shared_schema.dossier_wire import (
    Dossier,
    DossierRecogniseIn,
    DossierReturnIn,
    DossierSnapshot,
    DossierSubmitIn,
    RecognitionDecision,
)
from shared_schema.framework import Framework


async def _begin(
    conn: AsyncConnection,
    framework: Framework,
    hierarchy: str,
    actor: Principal,
    code: str,
    year: int,
    action: str,
) -> tuple[UnitRecord, Row | None, str, str]:  # type: ignore[type-arg]
    """Scope, actor and state checks shared by every transition: unit, row, before, after."""
    unit = await load_unit(conn, code)
    require_scope(actor, unit.path)
    flow = load_dossier_flow()
    spec = flow.actions[action]
    recogniser = await recogniser_code(conn, framework, hierarchy, unit)
    check_actor(actor, unit, spec.by, recogniser)
    row = await repo.get(conn, code, year)
    before = row.status if row else flow.initial
    return unit, row, before, next_state(flow, action, before)


async def _audit(
    conn: AsyncConnection, actor: Principal, action: str, dossier_id: int, unit: str, **detail: Any
) -> None:
    """Every transition is audited (the history is read back from these rows) and rolls up."""
    await audit.record(conn, actor, f"dossier.{action}", "dossier", dossier_id, unit, **detail)
    if isinstance(detail.get("year"), int):
        await mark_changed(conn, unit, detail["year"])


async def _snapshot(
    conn: AsyncConnection,
    framework: Framework,
    unit: UnitRecord,
    year: int,
    body: DossierSubmitIn,
    node_unit: str,
) -> DossierSnapshot:
    """Freeze what is submitted: evaluation, claimed level, answers and evidence metadata."""
    totals = (await unit_rollup(conn, framework, node_unit, unit, year)).totals
    evaluation = await evaluate(conn, framework, unit, year, totals)
    if evaluation is None:
        raise InvalidInput(
            "dossier_not_applicable",
            "Cấp đơn vị này không lập hồ sơ công nhận",
            "This unit level has no recognition dossier",
        )
    claimed = body.claimed_level if body.claimed_level is not None else evaluation.level_reached
    if not 1 <= claimed <= evaluation.max_level:
        raise InvalidInput(
            "dossier_claim_invalid",
            f"Mức độ đề nghị không hợp lệ (mức đạt theo tính toán: {evaluation.level_reached})",
            f"The claimed level is not valid (computed level: {evaluation.level_reached})",
        )
    answers = await answers_repo.current(conn, unit.code, [year])
    files = await evidence_repo.of_unit(conn, unit.code, year)
    return DossierSnapshot(
        taken_at=datetime.now(UTC),
        claimed_level=claimed,
        evaluation=evaluation,
        answers=[answer_entry(r) for r in answers],
        evidence=[to_meta(r) for r in files],
        totals=dict(totals),
        note=body.note[:2000],
    )


async def submit(
    db: Database,
    framework: Framework,
    hierarchy: str,
    actor: Principal,
    code: str,
    year: int,
    body: DossierSubmitIn,
    node_unit: str = "",
) -> Dossier:
    """The unit's officer submits (or resubmits after a return) once the level is computed."""
    async with db.write() as conn:
        unit, row, before, after = await _begin(
            conn, framework, hierarchy, actor, code, year, "submit"
        )
        snap = await _snapshot(conn, framework, unit, year, body, node_unit)
        now = snap.taken_at
        values = dict(
            status=after,
            claimed_level=snap.claimed_level,
            level_reached=snap.evaluation.level_reached,
            snapshot=msgspec.to_builtins(snap),
            submitted_by=actor.username,
            submitted_at=now,
            return_reason=None,
            updated_at=now,
        )
        if row is None:
            dossier_id = await repo.insert(
                conn, unit_code=code, year=year, first_submitted_at=now, **values
            )
        else:
            dossier_id = row.id
            await repo.update_fields(conn, dossier_id, **values)
        await _audit(
            conn,
            actor,
            "submit",
            dossier_id,
            code,
            year=year,
            from_status=before,
            to_status=after,
            claimed_level=snap.claimed_level,
        )
    return await get_dossier(db, framework, hierarchy, actor, code, year)


async def open_review(
    db: Database, framework: Framework, hierarchy: str, actor: Principal, code: str, year: int
) -> Dossier:
    """The recogniser opens a submitted dossier for review."""
    async with db.write() as conn:
        _unit, row, before, after = await _begin(
            conn, framework, hierarchy, actor, code, year, "open"
        )
        assert row is not None
        await repo.update_fields(conn, row.id, status=after, updated_at=datetime.now(UTC))
        await _audit(
            conn, actor, "open", row.id, code, year=year, from_status=before, to_status=after
        )
    return await get_dossier(db, framework, hierarchy, actor, code, year)


async def return_dossier(
    db: Database,
    framework: Framework,
    hierarchy: str,
    actor: Principal,
    code: str,
    year: int,
    body: DossierReturnIn,
) -> Dossier:
    """The recogniser returns the dossier with a reason; the unit completes and resubmits."""
    reason = body.reason.strip()
    if not reason:
        raise InvalidInput(
            "dossier_reason_required",
            "Cần nêu lý do trả lại hồ sơ",
            "A reason is required to return a dossier",
        )
    async with db.write() as conn:
        _unit, row, before, after = await _begin(
            conn, framework, hierarchy, actor, code, year, "return"
        )
        assert row is not None
        await repo.update_fields(
            conn, row.id, status=after, return_reason=reason[:2000], updated_at=datetime.now(UTC)
        )
        await _audit(
            conn,
            actor,
            "return",
            row.id,
            code,
            year=year,
            from_status=before,
            to_status=after,
            reason=reason[:2000],
        )
    return await get_dossier(db, framework, hierarchy, actor, code, year)


async def recognise(
    db: Database,
    framework: Framework,
    hierarchy: str,
    actor: Principal,
    code: str,
    year: int,
    body: DossierRecogniseIn,
) -> Dossier:
    """The recogniser records the decision; the dossier keeps the publishable payload."""
    async with db.write() as conn:
        unit, row, before, after = await _begin(
            conn, framework, hierarchy, actor, code, year, "recognise"
        )
        assert row is not None
        decision_in = RecognitionIn(
            year, body.level, body.decision_no, body.decided_on, body.signer
        )
        recognition = await store_recognition(conn, framework, actor, unit, decision_in)
        now = datetime.now(UTC)
        payload = RecognitionDecision(
            recognition_id=recognition.id,
            unit=unit.code,
            unit_name=unit.name,
            unit_level=unit.level,
            year=year,
            level=recognition.level,
            claimed_level=row.claimed_level,
            decision_no=recognition.decision_no,
            decided_on=recognition.decided_on,
            signer=recognition.signer,
            recogniser=actor.unit_code,
            recorded_by=actor.username,
            recorded_at=now,
            framework_id=framework.id,
            framework_version=framework.version,
        )
        # The decision reaches the units below through the feed (store_recognition publishes it);
        # the dossier keeps its own copy.
        await repo.update_fields(
            conn,
            row.id,
            status=after,
            recognition_id=recognition.id,
            decision=msgspec.to_builtins(payload),
            updated_at=now,
        )
        await _audit(
            conn,
            actor,
            "recognise",
            row.id,
            code,
            year=year,
            from_status=before,
            to_status=after,
            level=body.level,
            decision_no=recognition.decision_no,
        )
    return await get_dossier(db, framework, hierarchy, actor, code, year)


async def get_dossier(
    db: Database, framework: Framework, hierarchy: str, actor: Principal, code: str, year: int
) -> Dossier:
    """The dossier as anyone in scope sees it (a draft when nothing was submitted yet)."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        recogniser = await recogniser_code(conn, framework, hierarchy, unit)
        return await dossier_view(conn, code, year, recogniser)
