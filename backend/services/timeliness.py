"""Timeliness of a unit's dossier and yearly report against the framework calendar."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import Forbidden
from backend.core.timeliness import timeliness, tracked_steps
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import dossiers as repo
from backend.services.units import UnitRecord, load_unit
from shared_schema.dossier_wire import TimelinessItem
from shared_schema.framework import Framework

YEARLY_REPORT = "yearly_report"


async def submitted_at(
    conn: AsyncConnection, unit: UnitRecord, year: int, tracks: str
) -> datetime | None:
    """When the tracked submission was first made (a dossier counts from its first submission)."""
    if tracks == "dossier":
        row = await repo.get(conn, unit.code, year)
        moment = row.first_submitted_at if row else None
    else:
        moment = await repo.report_submitted_at(conn, unit.code, year, tracks)
    return utc(moment) if moment is not None else None


async def timeliness_for(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int, now: datetime
) -> list[TimelinessItem]:
    """Each tracked step of the unit's level: deadline, submission time and on_time/late/…"""
    items = []
    for step in tracked_steps(framework.calendar, unit.level):
        deadline = step.deadline.date_for(year)
        when = await submitted_at(conn, unit, year, step.tracks)
        items.append(
            TimelinessItem(
                step.code, step.tracks, step.label, deadline, timeliness(deadline, when, now), when
            )
        )
    return items


async def record_report_sent(
    conn: AsyncConnection, unit_code: str, year: int, at: datetime, by: str, via: str
) -> bool:
    """Note the first sending of a unit's yearly report; later ones keep the first date.

    Insert-or-ignore in one statement, so concurrent pushes of the same report cannot clash.
    """
    return await repo.insert_report_submission(
        conn,
        unit_code=unit_code,
        year=year,
        report=YEARLY_REPORT,
        submitted_at=at.astimezone(UTC),
        submitted_by=by,
        via=via,
    )


async def mark_yearly_report_sent(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> list[TimelinessItem]:
    """The unit's own officer records that its yearly report went out (e.g. on paper)."""
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
        if await record_report_sent(conn, code, year, now, actor.username, "manual"):
            await audit.record(
                conn,
                actor,
                "report.sent",
                "report",
                f"{code}/{year}",
                code,
                year=year,
                report=YEARLY_REPORT,
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
