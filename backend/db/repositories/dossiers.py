"""Recognition dossiers per (unit, year), their transitions (from the audit log), report dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import audit_log, dossiers, report_submissions


async def get(conn: AsyncConnection, unit_code: str, year: int) -> Row | None:  # type: ignore[type-arg]
    """The dossier of a unit for a year, if one was ever submitted."""
    query = select(dossiers).where(dossiers.c.unit_code == unit_code, dossiers.c.year == year)
    return (await conn.execute(query)).first()


async def of_units(conn: AsyncConnection, unit_codes: Sequence[str], year: int) -> dict[str, Row]:  # type: ignore[type-arg]
    """Dossiers of many units for a year, by unit code."""
    query = select(dossiers).where(
        dossiers.c.unit_code.in_(list(unit_codes)), dossiers.c.year == year
    )
    return {r.unit_code: r for r in (await conn.execute(query)).all()}


async def insert(conn: AsyncConnection, **values: Any) -> int:
    """Create a dossier (at its first submission)."""
    result = await conn.execute(dossiers.insert().values(**values).returning(dossiers.c.id))
    return int(result.scalar_one())


async def update_fields(conn: AsyncConnection, dossier_id: int, **values: Any) -> None:
    """Move a dossier on."""
    await conn.execute(update(dossiers).where(dossiers.c.id == dossier_id).values(**values))


async def events(conn: AsyncConnection, dossier_id: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """The dossier's audited transitions, oldest first."""
    query = (
        select(audit_log)
        .where(audit_log.c.entity == "dossier", audit_log.c.entity_id == str(dossier_id))
        .order_by(audit_log.c.id)
    )
    return (await conn.execute(query)).all()


async def report_submitted_at(
    conn: AsyncConnection, unit_code: str, year: int, report: str
) -> datetime | None:
    """When a unit's report for a year was first sent, if it was."""
    query = select(report_submissions.c.submitted_at).where(
        report_submissions.c.unit_code == unit_code,
        report_submissions.c.year == year,
        report_submissions.c.report == report,
    )
    return (await conn.execute(query)).scalar_one_or_none()


async def insert_report_submission(conn: AsyncConnection, **values: Any) -> bool:
    """Record the first sending of a report; a later or concurrent one changes nothing."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(report_submissions)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(report_submissions.c.unit_code)
    )
    return (await conn.execute(statement)).first() is not None
