"""Metadata of uploaded evidence files (the bytes live under the data dir, by SHA-256)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Row, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import evidence_files as files


async def insert(conn: AsyncConnection, **values: Any) -> None:
    """Store one file's metadata."""
    await conn.execute(files.insert().values(**values))


async def by_id(conn: AsyncConnection, evidence_id: str) -> Row | None:  # type: ignore[type-arg]
    """One file's metadata."""
    return (await conn.execute(select(files).where(files.c.id == evidence_id))).first()


async def of_unit(conn: AsyncConnection, unit_code: str, year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every file of a unit's self-assessment for a year, by indicator then upload order."""
    query = (
        select(files)
        .where(files.c.unit_code == unit_code, files.c.year == year)
        .order_by(files.c.indicator_code, files.c.uploaded_at, files.c.id)
    )
    return (await conn.execute(query)).all()


async def existing_ids(
    conn: AsyncConnection, ids: Collection[str], unit_code: str, year: int
) -> set[str]:
    """Which of these ids are files of this unit and year."""
    query = select(files.c.id).where(
        files.c.id.in_(list(ids)), files.c.unit_code == unit_code, files.c.year == year
    )
    return set((await conn.execute(query)).scalars())


async def sha_in_use(conn: AsyncConnection, unit_code: str, year: int, sha256: str) -> int:
    """How many records point at the same stored bytes."""
    query = select(func.count()).where(
        files.c.unit_code == unit_code, files.c.year == year, files.c.sha256 == sha256
    )
    return int((await conn.execute(query)).scalar_one())


async def remove(conn: AsyncConnection, evidence_id: str) -> None:
    """Forget one file's metadata."""
    await conn.execute(delete(files).where(files.c.id == evidence_id))
