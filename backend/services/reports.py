"""Official reports from stored data: self-assessment (DOCX) and summary tables (XLSX)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.report_content import RateLine, ReportContent, UnitFacts, build_content
from backend.core.responsibilities import assignment_text
from backend.core.standards import share_rates
from backend.core.unit_rollup import UnitRollup
from backend.core.units_summary import TIMELINESS_VI, UnitsSummary, UnitSummaryRow
from backend.db.database import Database
from backend.db.repositories import assessments as answers_repo
from backend.db.repositories import dossiers as dossier_repo
from backend.db.repositories import evidence as evidence_repo
from backend.db.repositories import units as unit_repo
from backend.services.evaluation import evaluate
from backend.services.rollup import unit_rollup, unit_rollups
from backend.services.standards import shares_in
from backend.services.timeliness import dossier_timeliness
from backend.services.units import UnitRecord, load_unit
from shared_schema.dossier_flow import load_dossier_flow
from shared_schema.framework import Framework


def _rates(framework: Framework, rollup: UnitRollup) -> list[RateLine]:
    """The roll-up's rates with their Vietnamese labels, in the framework's order."""
    found = {r.code: r for r in rollup.rates}
    return [
        RateLine(
            rate.label.vi,
            found[rate.code].numerator,
            found[rate.code].denominator,
            found[rate.code].value,
            rate.unit,
        )
        for rate in framework.tally.rates
        if rate.code in found
    ]


def _share_lines(framework: Framework, unit: UnitRecord, rollup: UnitRollup) -> list[RateLine]:
    """Shares of the communes below a district or province, from the same roll-up."""
    if unit.level == framework.standards.counted_level:
        return []
    found = {r.code: r for r in rollup.rates}
    return [
        RateLine(
            rate.label.vi,
            found[rate.code].numerator,
            found[rate.code].denominator,
            found[rate.code].value,
        )
        for rate in share_rates(framework.standards)
        if rate.code in found and found[rate.code].denominator
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
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int, node_unit: str
) -> ReportContent:
    """Gather answers, evidence, evaluation, rates and the dossier for one unit and year."""
    criteria = framework.criteria_for(unit.level)
    rollup = await unit_rollup(conn, framework, node_unit, unit, year)
    evaluation = await evaluate(conn, framework, unit, year, rollup.totals)
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
        rollup.completeness.villages_total,
        rollup.completeness.villages_reported,
    )
    names = {f.id: f.filename for f in files}
    shares = _share_lines(framework, unit, rollup)
    others = (claimed, rollup.recognized_level, _rates(framework, rollup) + shares)
    content = build_content(criteria, evaluation, facts, level, answers, names, uploaded, others)
    spec = framework.responsibilities.get(unit.level)
    if spec is None:
        return content
    texts = {line.code: assignment_text(spec, line.code) for line in content.lines}
    return dataclasses.replace(content, responsible=texts)


async def _unit_in_scope(conn: AsyncConnection, actor: Principal, code: str) -> UnitRecord:
    """A unit the caller may read."""
    require(actor, "read")
    unit = await load_unit(conn, code)
    require_scope(actor, unit.path)
    return unit


async def self_assessment_docx(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, node_unit: str = ""
) -> bytes:
    """Báo cáo tự đánh giá as .docx."""
    async with db.read() as conn:
        unit = await _unit_in_scope(conn, actor, code)
        content = await _content(conn, framework, unit, year, node_unit)
    from backend.reports.self_assessment_docx import render_self_assessment  # cold: python-docx

    return render_self_assessment(content)


async def criteria_summary_xlsx(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, node_unit: str = ""
) -> bytes:
    """Bảng tổng hợp kết quả đánh giá các tiêu chí, chỉ tiêu as .xlsx."""
    async with db.read() as conn:
        unit = await _unit_in_scope(conn, actor, code)
        content = await _content(conn, framework, unit, year, node_unit)
    from backend.reports.criteria_xlsx import render_criteria_summary  # cold: openpyxl

    return render_criteria_summary(content)


def _summary_row(
    framework: Framework, unit: UnitRecord, rollup: UnitRollup, dossier_timely: str | None
) -> UnitSummaryRow:
    """One unit below, from its roll-up: rates, levels, dossier, and its dossier's timeliness."""
    flow = load_dossier_flow()
    state = rollup.dossier_status if rollup.dossier_status in flow.states else flow.initial
    return UnitSummaryRow(
        unit.code,
        unit.name,
        _short_level(framework, unit.level),
        rollup.completeness.villages_total,
        rollup.completeness.villages_reported,
        tuple(r.value for r in _rates(framework, rollup)),
        rollup.level_reached or 0,
        rollup.claimed_level,
        rollup.recognized_level,
        flow.states[state].vi,
        TIMELINESS_VI[dossier_timely] if dossier_timely else "—",
    )


async def units_summary_xlsx(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, node_unit: str = ""
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
        rollups = await unit_rollups(conn, framework, node_unit, below, year)
        timely = await dossier_timeliness(conn, framework, below, year, now)
        rows = [
            _summary_row(framework, u, rollup, timely.get(u.code))
            for u, rollup in zip(below, rollups, strict=True)
        ]
        own = await unit_rollup(conn, framework, node_unit, unit, year)
        standards = await shares_in(conn, framework, unit, year, "actual")
    summary = UnitsSummary(
        unit.name,
        year,
        tuple(r.label.vi for r in framework.tally.rates),
        tuple(rows),
        tuple(r.value for r in _rates(framework, own)),
        tuple(c for c in standards.counts if c.units),
        tuple(r.unit for r in framework.tally.rates),
    )
    from backend.reports.units_xlsx import render_units_summary  # cold: openpyxl

    return render_units_summary(summary)
