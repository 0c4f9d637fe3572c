"""Preview a targets/roadmap CSV: per-row errors and the roadmap warnings it would cause."""

from __future__ import annotations

from backend.core.access import Principal, require
from backend.core.errors import FieldProblem
from backend.core.target_preview import PreviewLine, preview_targets_csv
from backend.core.targets import Target
from backend.db.database import Database
from backend.db.repositories import targets as repo
from backend.db.repositories import units as unit_repo
from backend.services.targets import check_roadmaps
from shared_schema.framework import Framework
from shared_schema.target_preview_wire import TargetPreviewRow, TargetsPreview
from shared_schema.wire import FieldError


def _unit_problem(line: PreviewLine, known: dict[str, str], scope: set[str]) -> FieldProblem | None:
    """The row's unit must exist and lie in the caller's subtree."""
    n, code = line.line, line.unit_code
    if not code:
        return None
    if code not in known:
        return FieldProblem(
            f"row {n}.unit_code",
            "unit_not_found",
            f"Dòng {n}: không có đơn vị {code}",
            f"Row {n}: no unit {code}",
        )
    if code not in scope:
        return FieldProblem(
            f"row {n}.unit_code",
            "out_of_scope",
            f"Dòng {n}: {known[code]} ngoài phạm vi của bạn",
            f"Row {n}: {known[code]} is outside your area",
        )
    return None


def _row_view(line: PreviewLine, names: dict[str, str]) -> TargetPreviewRow:
    """The wire form of one judged line."""
    t = line.target
    errors = [FieldError(p.field, p.code, p.message_vi, p.message_en) for p in line.problems]
    return TargetPreviewRow(
        line.line,
        line.unit_code,
        names.get(line.unit_code, t.unit_name if t else ""),
        t.year if t else None,
        t.target_level if t else None,
        dict(t.rates) if t else {},
        errors,
    )


async def preview_targets(
    db: Database, framework: Framework, actor: Principal, text: str
) -> TargetsPreview:
    """Judge each row; warnings come from stored targets with the file's rows laid over them."""
    require(actor, "target_write")
    lines = preview_targets_csv(text, [rate.code for rate in framework.tally.rates])
    async with db.read() as conn:
        units = await unit_repo.in_subtree(conn, actor.unit_path)
        stored = await repo.in_subtree(conn, actor.unit_path)
        codes = [line.unit_code for line in lines if line.unit_code]
        known = {u.code: u.name for u in [await unit_repo.get(conn, c) for c in set(codes)] if u}
    scope = {u.code for u in units}
    names = {u.code: u.name for u in units}
    for line in lines:
        problem = _unit_problem(line, known, scope)
        if problem is not None:
            line.problems.append(problem)
    planned = {
        (r.unit_code, r.year): Target(r.unit_code, r.year, r.target_level, dict(r.rates), r.name)
        for r in stored
    }
    for line in lines:
        if line.target is not None and not line.problems:
            t = line.target
            planned[(t.unit_code, t.year)] = Target(
                t.unit_code, t.year, t.target_level, t.rates, names[t.unit_code]
            )
    rows = [_row_view(line, names) for line in lines]
    invalid = sum(1 for r in rows if r.errors)
    warnings = check_roadmaps(framework, list(planned.values()), units)
    return TargetsPreview(rows, len(rows) - invalid, invalid, warnings)
