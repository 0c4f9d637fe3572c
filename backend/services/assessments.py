"""Self-assessment input: attested answers with evidence, entered levels, yearly measures."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Row

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput, NotFound
from backend.core.responsibilities import assignment_text
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import assessments as repo
from backend.db.repositories import audit
from backend.services.evaluation import evaluate
from backend.services.evidence import check_cited
from backend.services.rollup import unit_rollup
from backend.services.snapshots import mark_changed
from backend.services.standards import record_entered_level
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import AssessmentEntry, AssessmentEntryIn, AssessmentView
from shared_schema.criteria import (
    AttestedIndicator,
    EnteredLevelIndicator,
    PreviousYearIndicator,
)
from shared_schema.framework import Framework

MAX_EVIDENCE = 50


def _entry(row: Row) -> AssessmentEntry:  # type: ignore[type-arg]
    """Row → wire."""
    return AssessmentEntry(
        row.id,
        row.unit_code,
        row.year,
        row.indicator_code,
        row.kind,
        row.met,
        row.level,
        row.value,
        row.comment,
        list(row.evidence),
        row.recorded_by,
        utc(row.recorded_at),
    )


def _answer_kind(framework: Framework, unit: UnitRecord, code: str) -> str:
    """Which kind of answer an indicator (or measure) code takes for this unit's level."""
    criteria = framework.criteria_for(unit.level)
    if criteria is None:
        raise InvalidInput(
            "assessment_not_applicable",
            "Cấp đơn vị này không tự đánh giá",
            "This unit level does not self-assess",
        )
    for level in criteria.levels:
        for _criterion, indicator in level.indicators():
            if isinstance(indicator, PreviousYearIndicator) and indicator.measure == code:
                return "measure"
            if indicator.code == code and isinstance(indicator, AttestedIndicator):
                return "attested"
            if indicator.code == code and isinstance(indicator, EnteredLevelIndicator):
                return "entered_level"
    raise NotFound(
        "indicator_not_found",
        f"Không có chỉ tiêu nhập tay mã {code}",
        f"No self-assessed indicator or measure with code {code}",
    )


def _check(kind: str, body: AssessmentEntryIn) -> None:
    """Each kind needs its own value; nothing else."""
    problems = {
        "attested": body.met is None,
        "entered_level": body.level is None or body.level < 0 or body.level > 10,
        "measure": body.value is None or body.value != body.value,
    }
    if problems[kind]:
        raise InvalidInput(
            "assessment_value_invalid",
            "Thiếu hoặc sai giá trị: chỉ tiêu đánh giá cần 'met', mức độ cần "
            "'level', số liệu cần 'value'",
            "Missing or wrong value: attested needs 'met', entered level needs "
            "'level', a measure needs 'value'",
        )
    if len(body.evidence) > MAX_EVIDENCE or any(
        len(e) > 200 or not e.strip() for e in body.evidence
    ):
        raise InvalidInput(
            "evidence_invalid", "Danh sách minh chứng không hợp lệ", "Evidence list is invalid"
        )


async def record_answer(
    db: Database,
    framework: Framework,
    actor: Principal,
    code: str,
    year: int,
    indicator: str,
    body: AssessmentEntryIn,
) -> AssessmentEntry:
    """Append an answer for the unit's own self-assessment (history kept, audited)."""
    require(actor, "assessment_write")
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        kind = _answer_kind(framework, unit, indicator)
        _check(kind, body)
        if kind == "entered_level" and body.level is not None:
            await record_entered_level(conn, framework, unit, year, indicator, body.level, actor)
        await check_cited(conn, code, year, [e.strip() for e in body.evidence])
        entry_id = await repo.insert(
            conn,
            unit_code=code,
            year=year,
            indicator_code=indicator,
            kind=kind,
            met=body.met if kind == "attested" else None,
            level=body.level if kind == "entered_level" else None,
            value=body.value if kind == "measure" else None,
            comment=body.comment[:2000],
            evidence=[e.strip() for e in body.evidence],
            recorded_by=actor.username,
            recorded_at=datetime.now(UTC),
        )
        await audit.record(
            conn,
            actor,
            "assessment.answer",
            "assessment_entry",
            entry_id,
            code,
            year=year,
            indicator=indicator,
            kind=kind,
        )
        await mark_changed(conn, code, year)
        rows = await repo.history(conn, code, year, indicator)
    return _entry(rows[0])


async def assessment_view(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, node_unit: str = ""
) -> AssessmentView:
    """Current answers and the evaluation they give with the unit's summed tallies."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await repo.current(conn, code, [year])
        rollup = await unit_rollup(conn, framework, node_unit, unit, year)
        evaluation = await evaluate(conn, framework, unit, year, rollup.totals)
    spec = framework.responsibilities.get(unit.level)
    bodies = (
        {a.indicator: assignment_text(spec, a.indicator) for a in spec.assignments} if spec else {}
    )
    return AssessmentView(code, year, [_entry(r) for r in rows], evaluation, bodies)


async def answer_history(
    db: Database, actor: Principal, code: str, year: int, indicator: str
) -> list[AssessmentEntry]:
    """Every answer given for one indicator, newest first."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await repo.history(conn, code, year, indicator)
    return [_entry(r) for r in rows]
