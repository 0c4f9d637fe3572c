"""The federation view: every unit below the caller at one level, each from its roll-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import Row

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.federation import (
    check_page,
    cut_before_rollup,
    filter_rows,
    make_row,
    page_of,
    sort_rows,
)
from backend.core.timeliness import last_on_time
from backend.db.database import Database
from backend.db.repositories import units as unit_repo
from backend.services.rollup import unit_rollups
from backend.services.units import UnitRecord, load_unit
from shared_schema.framework import Framework
from shared_schema.sync import FederationRow

VIETNAM = timezone(timedelta(hours=7))


def calendar_deadline(framework: Framework, level: str, fallback: str) -> tuple[str, int]:
    """MM-DD and year offset of the yearly report of a unit level, from the framework calendar."""
    step = next(
        (
            s
            for s in framework.calendar.steps
            if s.tracks == "yearly_report" and s.unit_level == level
        ),
        None,
    )
    if step is None:
        return fallback, 0
    return f"{step.deadline.month:02d}-{step.deadline.day:02d}", step.deadline.year_offset


def calendar_inclusive(framework: Framework, level: str) -> bool:
    """Whether the level's yearly report deadline counts the day itself ("đến hết ngày")."""
    steps = framework.calendar.steps
    return any(s.inclusive for s in steps if s.tracks == "yearly_report" and s.unit_level == level)


def deadline_of(
    year: int, explicit: str | None, default: tuple[str, int], inclusive: bool = False
) -> datetime:
    """Last on-time instant: before the deadline day ("trước"), or its end when inclusive."""
    month_day, offset = default
    try:
        day = (
            date.fromisoformat(explicit)
            if explicit
            else date.fromisoformat(f"{year + offset}-{month_day}")
        )
    except ValueError as exc:
        raise InvalidInput(
            "deadline_invalid",
            "Hạn báo cáo phải có dạng YYYY-MM-DD",
            "The deadline must look like YYYY-MM-DD",
        ) from exc
    return last_on_time(day, inclusive).astimezone(UTC)


def _record(row: Row) -> UnitRecord:  # type: ignore[type-arg]
    """A unit row as services use it."""
    return UnitRecord(row.code, row.name, row.level, row.parent_code, row.path, row.retired)


@dataclass(frozen=True)
class FederationPage:
    """One page of the federation view and how many rows match in all."""

    rows: list[FederationRow]
    total: int


async def federation_status(
    db: Database,
    framework: Framework,
    actor: Principal,
    node_unit: str,
    year: int,
    level: str,
    deadline: datetime,
    sort: str = "unit",
    timeliness: str = "",
    query: str = "",
    stale_over: int = 0,
    parent: str = "",
    offset: int = 0,
    limit: int = 0,
) -> FederationPage:
    """One row per unit of `level` in the caller's subtree (or under `parent`); filtered, sorted,
    paged. Sorted by a unit column, only the page's roll-ups are read."""
    require(actor, "read")
    if framework.level(level) is None:
        raise InvalidInput(
            "unit_level_unknown",
            f"Cấp đơn vị không hợp lệ: {level}",
            f"Unknown unit level: {level}",
        )
    check_page(offset, limit)
    now = datetime.now(UTC)
    async with db.read() as conn:
        scope = actor.unit_path
        if parent:
            below = await load_unit(conn, parent)
            require_scope(actor, below.path)
            scope = below.path
        units = [_record(u) for u in await unit_repo.in_subtree(conn, scope, level)]
        cut_first = cut_before_rollup(sort, timeliness, stale_over)
        if cut_first:
            units, total = _unit_page(units, year, sort, query, offset, limit)
        rollups = await unit_rollups(conn, framework, node_unit, units, year)
    rows = [
        make_row(u.code, u.name, u.level, u.parent_code or "", rollup, deadline, now)
        for u, rollup in zip(units, rollups, strict=True)
    ]
    if cut_first:
        return FederationPage(rows, total)
    matching = sort_rows(filter_rows(rows, timeliness, query, stale_over), sort)
    return FederationPage(page_of(matching, offset, limit), len(matching))


def _unit_page(
    units: list[UnitRecord], year: int, sort: str, query: str, offset: int, limit: int
) -> tuple[list[UnitRecord], int]:
    """The units of one page, filtered and sorted on the same rows the full view would use."""
    by_code = {u.code: u for u in units}
    bare = [FederationRow(u.code, u.name, u.level, u.parent_code or "", year) for u in units]
    matching = sort_rows(filter_rows(bare, "", query, 0), sort)
    return [by_code[r.unit] for r in page_of(matching, offset, limit)], len(matching)
