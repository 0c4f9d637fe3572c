"""Timeliness of a unit's dossier and yearly report against the framework calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import Forbidden, InvalidInput
from backend.core.timeliness import VIETNAM, periodic_steps, timeliness, tracked_steps
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import audit, submission_times
from backend.db.repositories import dossiers as repo
from backend.services.units import UnitRecord, load_unit
from shared_schema.calendar import CalendarStep
from shared_schema.dossier_wire import TimelinessItem
from shared_schema.framework import Framework

YEARLY_REPORT = "yearly_report"


async def submitted_at(
    conn: AsyncConnection, unit: UnitRecord, year: int, step: CalendarStep
) -> datetime | None:
    """When the tracked submission was first made (a dossier counts from its first submission)."""
    moment: datetime | None
    if step.tracks == "dossier":
        row = await repo.get(conn, unit.code, year)
        moment = row.first_submitted_at if row else None
    elif step.tracks == "tally":
        moment = await submission_times.first_tally_at(conn, unit.code, year)
    elif step.tracks == "recognition":
        decided = await submission_times.first_recognition_on(conn, unit.code, year)
        moment = datetime.combine(decided, time(0), VIETNAM) if decided else None
    else:
        report = step.code if step.tracks == "report" else step.tracks
        moment = await repo.report_submitted_at(conn, unit.code, year, report)
    return utc(moment) if moment is not None else None


async def timeliness_for(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int, now: datetime
) -> list[TimelinessItem]:
    """Each tracked step of the unit's level: deadline, submission time and on_time/late/…"""
    items = []
    steps = tracked_steps(framework.calendar, unit.level)
    for step in steps + periodic_steps(framework.calendar, unit.level):
        deadline = step.deadline.date_for(year)
        when = await submitted_at(conn, unit, year, step)
        status = timeliness(deadline, when, now, step.inclusive)
        items.append(TimelinessItem(step.code, step.tracks, step.label, deadline, status, when))
    return items


async def dossier_timeliness(
    conn: AsyncConnection,
    framework: Framework,
    units: Sequence[UnitRecord],
    year: int,
    now: datetime,
) -> dict[str, str]:
    """Each unit's dossier timeliness (first dossier step of its level), read in one query."""
    dossiers = await repo.of_units(conn, [u.code for u in units], year)
    result: dict[str, str] = {}
    for unit in units:
        step = next(
            (s for s in tracked_steps(framework.calendar, unit.level) if s.tracks == "dossier"),
            None,
        )
        if step is None:
            continue
        row = dossiers.get(unit.code)
        when = utc(row.first_submitted_at) if row and row.first_submitted_at else None
        result[unit.code] = timeliness(step.deadline.date_for(year), when, now, step.inclusive)
    return result


async def record_report_sent(
    conn: AsyncConnection,
    unit_code: str,
    year: int,
    at: datetime,
    by: str,
    via: str,
    report: str = YEARLY_REPORT,
) -> bool:
    """Note the first sending of a unit's yearly report; later ones keep the first date.

    Insert-or-ignore in one statement, so concurrent pushes of the same report cannot clash.
    """
    return await repo.insert_report_submission(
        conn,
        unit_code=unit_code,
        year=year,
        report=report,
        submitted_at=at.astimezone(UTC),
        submitted_by=by,
        via=via,
    )


def reports_of(framework: Framework, unit_level: str) -> set[str]:
    """The report codes a unit of this level marks as sent (yearly, self-assessment, interim)."""
    steps = tracked_steps(framework.calendar, unit_level)
    steps += periodic_steps(framework.calendar, unit_level)
    codes = {s.code for s in steps if s.tracks == "report"}
    return codes | ({YEARLY_REPORT} if any(s.tracks == YEARLY_REPORT for s in steps) else set())


async def mark_yearly_report_sent(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> list[TimelinessItem]:
    """The unit's own officer records that its yearly report went out (e.g. on paper)."""
    return await mark_report_sent(db, framework, actor, code, year, YEARLY_REPORT)


async def mark_report_sent(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, report: str
) -> list[TimelinessItem]:
    """The unit's own officer records that a tracked report went out (e.g. on paper)."""
    require(actor, "assessment_write")
    now = datetime.now(UTC)
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        if actor.unit_code != unit.code:
            raise Forbidden(
                "report_not_own_unit",
                "Chỉ cán bộ của chính đơn vị được báo cáo",
                "Only an officer of the unit itself may mark its report as sent",
            )
        if report not in reports_of(framework, unit.level):
            raise InvalidInput(
                "report_unknown",
                f"Đơn vị cấp này không có báo cáo {report!r} trong lịch",
                f"No report {report!r} is due from units of this level in the calendar",
            )
        if await record_report_sent(conn, code, year, now, actor.username, "manual", report):
            await audit.record(
                conn,
                actor,
                "report.sent",
                "report",
                f"{code}/{year}",
                code,
                year=year,
                report=report,
            )
        return await timeliness_for(conn, framework, unit, year, now)


async def unit_timeliness(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, now: datetime
) -> list[TimelinessItem]:
    """Timeliness of a unit in the caller's scope."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        return await timeliness_for(conn, framework, unit, year, now)
