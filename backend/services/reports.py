"""Official reports from stored data: self-assessment (DOCX) and summary tables (XLSX)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.report_content import RateLine, ReportContent, UnitFacts, build_content
from backend.core.rollup import compute_rates
from backend.core.units_summary import TIMELINESS_VI, UnitsSummary, UnitSummaryRow
from backend.db.database import Database
from backend.db.repositories import assessments as answers_repo
from backend.db.repositories import dossiers as dossier_repo
from backend.db.repositories import evidence as evidence_repo
from backend.db.repositories import recognitions
from backend.db.repositories import units as unit_repo
from backend.services.evaluation import evaluate
from backend.services.status import subtree_totals
from backend.services.timeliness import timeliness_for
from backend.services.units import UnitRecord, load_unit
from shared_schema.dossier_flow import load_dossier_flow
from shared_schema.framework import Framework


def _rates(framework: Framework, totals: dict[str, int]) -> list[RateLine]:
    """Every framework rate with its Vietnamese label."""
    labels = {rate.code: rate.label.vi for rate in framework.tally.rates}
    return [
        RateLine(labels[r.code], r.numerator, r.denominator, r.value)
        for r in compute_rates(framework.tally.rates, totals)
    ]


def _level_label(framework: Framework, level: str) -> str:
    """'cấp xã' from the criteria label '"Cộng đồng học tập" cấp xã'."""
    criteria = framework.criteria_for(level)
    label = criteria.label.vi if criteria else ""
    return label[label.find("cấp") :] if "cấp" in label else label


def _short_level(framework: Framework, level: str) -> str:
    """'Xã' from 'Xã / Phường / Thị trấn'."""
    known = framework.level(level)
    return known.label.vi.split(" /")[0] if known else level


async def _content(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int
) -> ReportContent:
    """Gather answers, evidence, evaluation, rates and the dossier for one unit and year."""
    criteria = framework.criteria_for(unit.level)
    totals, rows = await subtree_totals(conn, framework, unit, year)
    evaluation = await evaluate(conn, framework, unit, year, totals)
    if criteria is None or evaluation is None:
        raise InvalidInput(
            "report_not_applicable",
            "Cấp đơn vị này không có báo cáo tự đánh giá",
            "This unit level has no self-assessment report",
        )
    answers = {
        r.indicator_code: (r.comment, list(r.evidence))
        for r in await answers_repo.current(conn, unit.code, [year])
    }
    files = await evidence_repo.of_unit(conn, unit.code, year)
    uploaded: dict[str, list[str]] = {}
    for f in files:
        uploaded.setdefault(f.indicator_code, []).append(f.filename)
    dossier = await dossier_repo.get(conn, unit.code, year)
    claimed = dossier.claimed_level if dossier else None
    level = claimed or min(max(1, evaluation.level_reached), evaluation.max_level)
    parent = await unit_repo.get(conn, unit.parent_code) if unit.parent_code else None
    facts = UnitFacts(
        unit.code,
        unit.name,
        _level_label(framework, unit.level),
        parent.name if parent else "",
        await unit_repo.count_in_subtree(conn, unit.path, "village"),
        sum(1 for r in rows if r.status != "returned"),
    )
    recognised = await recognitions.level_in_force(conn, unit.code, year)
    names = {f.id: f.filename for f in files}
    others = (claimed, recognised, _rates(framework, totals))
    return build_content(criteria, evaluation, facts, level, answers, names, uploaded, others)


async def _unit_in_scope(conn: AsyncConnection, actor: Principal, code: str) -> UnitRecord:
    """A unit the caller may read."""
    require(actor, "read")
    unit = await load_unit(conn, code)
    require_scope(actor, unit.path)
    return unit


async def self_assessment_docx(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> bytes:
    """Báo cáo tự đánh giá as .docx."""
    async with db.read() as conn:
        unit = await _unit_in_scope(conn, actor, code)
        content = await _content(conn, framework, unit, year)
    from backend.reports.self_assessment_docx import render_self_assessment  # cold: python-docx

    return render_self_assessment(content)


async def criteria_summary_xlsx(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> bytes:
    """Bảng tổng hợp kết quả đánh giá các tiêu chí, chỉ tiêu as .xlsx."""
    async with db.read() as conn:
        unit = await _unit_in_scope(conn, actor, code)
        content = await _content(conn, framework, unit, year)
    from backend.reports.criteria_xlsx import render_criteria_summary  # cold: openpyxl

    return render_criteria_summary(content)


async def _summary_row(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int, now: datetime
) -> UnitSummaryRow:
    """One unit below: rates, levels, dossier and its timeliness."""
    totals, rows = await subtree_totals(conn, framework, unit, year)
    evaluation = await evaluate(conn, framework, unit, year, totals, explained=False)
    dossier = await dossier_repo.get(conn, unit.code, year)
    timely = [
        t for t in await timeliness_for(conn, framework, unit, year, now) if t.tracks == "dossier"
    ]
    flow = load_dossier_flow()
    return UnitSummaryRow(
        unit.code,
        unit.name,
        _short_level(framework, unit.level),
        await unit_repo.count_in_subtree(conn, unit.path, "village"),
        sum(1 for r in rows if r.status != "returned"),
        tuple(r.value for r in _rates(framework, totals)),
        evaluation.level_reached if evaluation else 0,
        dossier.claimed_level if dossier else None,
        await recognitions.level_in_force(conn, unit.code, year),
        flow.states[dossier.status if dossier else flow.initial].vi,
        TIMELINESS_VI[timely[0].status] if timely else "—",
    )


async def units_summary_xlsx(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> bytes:
    """Every assessed unit below this one (communes, districts) with levels and rates."""
    now = datetime.now(UTC)
    async with db.read() as conn:
        unit = await _unit_in_scope(conn, actor, code)
        below = [
            UnitRecord(r.code, r.name, r.level, r.parent_code, r.path, r.retired)
            for r in await unit_repo.in_subtree(conn, unit.path)
            if r.code != unit.code and framework.criteria_for(r.level) is not None
        ]
        rows = [await _summary_row(conn, framework, u, year, now) for u in below]
        totals, _rows = await subtree_totals(conn, framework, unit, year)
    summary = UnitsSummary(
        unit.name,
        year,
        tuple(r.label.vi for r in framework.tally.rates),
        tuple(rows),
        tuple(r.value for r in _rates(framework, totals)),
    )
    from backend.reports.units_xlsx import render_units_summary  # cold: openpyxl

    return render_units_summary(summary)
