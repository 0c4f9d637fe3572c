"""Merger records: old unit codes → new unit, effective date."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.mergers import Merger
from backend.db.tables import snapshots, unit_mergers, unit_parent_history


async def insert(conn: AsyncConnection, merger: Merger, actor: str) -> None:
    """Record one old unit's merger."""
    await conn.execute(
        unit_mergers.insert().values(
            old_code=merger.old_code,
            new_code=merger.new_code,
            effective_on=merger.effective_on,
            note=merger.note,
            recorded_by=actor,
            recorded_at=datetime.now(UTC),
        )
    )


async def all_mergers(conn: AsyncConnection) -> list[Merger]:
    """Every merger this node knows, oldest first."""
    query = select(unit_mergers).order_by(unit_mergers.c.effective_on, unit_mergers.c.old_code)
    return [
        Merger(r.old_code, r.new_code, r.effective_on, r.note)
        for r in (await conn.execute(query)).all()
    ]


async def snapshot_years(conn: AsyncConnection, unit_code: str) -> list[int]:
    """The years some snapshot of a unit is held for."""
    query = select(snapshots.c.year).where(snapshots.c.unit_code == unit_code).distinct()
    return sorted((await conn.execute(query)).scalars())


async def units_once_under(conn: AsyncConnection, parents: list[str]) -> set[str]:
    """Units that were, at some time, children of these parents (villages moved on a merger)."""
    query = select(unit_parent_history.c.unit_code).where(
        unit_parent_history.c.parent_code.in_(parents)
    )
    return set((await conn.execute(query)).scalars())
