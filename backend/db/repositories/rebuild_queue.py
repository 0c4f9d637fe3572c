"""Marks of changed figures, written with the change and folded later by the rebuilder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.quarantine import QueueCounts, RebuildItem
from backend.core.times import utc
from backend.db.tables import rebuild_queue

q = rebuild_queue.c


@dataclass(frozen=True)
class Mark:
    """A queued change as read: settled only if nobody re-marked it meanwhile."""

    unit_code: str
    year: int
    queued_at: datetime


def _insert(conn: AsyncConnection):  # type: ignore[no-untyped-def]
    """INSERT … ON CONFLICT for the connection's dialect."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(rebuild_queue)


def upsert_mark(statement: Any) -> Any:
    """INSERT … ON CONFLICT of a mark: a new change gives a failed unit a fresh start."""
    return statement.on_conflict_do_update(
        index_elements=["unit_code", "year"],
        set_={
            "queued_at": statement.excluded.queued_at,
            "attempts": 0,
            "last_error": None,
            "next_attempt_at": None,
            "quarantined_at": None,
        },
    )


async def mark(conn: AsyncConnection, unit_code: str, year: int) -> None:
    """Note that a unit's figures changed (see upsert_mark)."""
    statement = _insert(conn).values(unit_code=unit_code, year=year, queued_at=datetime.now(UTC))
    await conn.execute(upsert_mark(statement))


def _due(now: datetime):  # type: ignore[no-untyped-def]
    """Not quarantined, and not waiting for a retry."""
    return and_(
        q.quarantined_at.is_(None), or_(q.next_attempt_at.is_(None), q.next_attempt_at <= now)
    )


async def due(conn: AsyncConnection, now: datetime, limit: int) -> list[Mark]:
    """Up to `limit` marks whose turn has come, oldest first (nothing is taken yet)."""
    query = (
        select(q.unit_code, q.year, q.queued_at).where(_due(now)).order_by(q.queued_at).limit(limit)
    )
    return [Mark(r.unit_code, r.year, r.queued_at) for r in (await conn.execute(query)).all()]


async def blocked(conn: AsyncConnection, now: datetime) -> set[tuple[str, int]]:
    """Unit-years that failed and wait (a retry later, or the operator)."""
    query = select(q.unit_code, q.year).where(~_due(now))
    return {(r.unit_code, r.year) for r in (await conn.execute(query)).all()}


SETTLED_AT_ONCE = 1000  # marks per statement, within every driver's limit on parameters


async def settle(conn: AsyncConnection, marks: Sequence[Mark]) -> None:
    """Remove folded marks, unless they were re-marked or failed since they were read."""
    for start in range(0, len(marks), SETTLED_AT_ONCE):
        keys = [(m.unit_code, m.year, m.queued_at) for m in marks[start : start + SETTLED_AT_ONCE]]
        await conn.execute(
            delete(rebuild_queue).where(
                tuple_(q.unit_code, q.year, q.queued_at).in_(keys), q.attempts == 0
            )
        )


async def failed(
    conn: AsyncConnection, unit_code: str, year: int, error: str, now: datetime
) -> int:
    """Count a failed rebuild of a unit-year; returns its attempts so far."""
    statement = _insert(conn).values(
        unit_code=unit_code, year=year, queued_at=now, attempts=1, last_error=error[:500]
    )
    result = await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["unit_code", "year"],
            set_={"attempts": q.attempts + 1, "last_error": statement.excluded.last_error},
        ).returning(q.attempts)
    )
    return int(result.scalar_one())


async def schedule(
    conn: AsyncConnection, unit_code: str, year: int, at: datetime | None, quarantine: bool
) -> None:
    """Set when a failed unit-year is tried again, or put it in quarantine."""
    values: dict[str, object] = {"next_attempt_at": at}
    if quarantine:
        values["quarantined_at"] = datetime.now(UTC)
    await conn.execute(
        update(rebuild_queue).where(q.unit_code == unit_code, q.year == year).values(**values)
    )


async def failures(conn: AsyncConnection) -> list[RebuildItem]:
    """Unit-years whose rebuild failed, quarantined first."""
    query = select(rebuild_queue).where(q.attempts > 0).order_by(q.quarantined_at, q.unit_code)
    return [
        RebuildItem(
            r.unit_code,
            r.year,
            r.attempts,
            r.last_error,
            utc(r.next_attempt_at) if r.next_attempt_at else None,
            utc(r.quarantined_at) if r.quarantined_at else None,
        )
        for r in (await conn.execute(query)).all()
    ]


async def release(conn: AsyncConnection, unit_code: str | None, year: int | None) -> int:
    """Give quarantined unit-years (all, or one) a fresh start; how many."""
    statement = update(rebuild_queue).where(q.quarantined_at.is_not(None))
    if unit_code is not None:
        statement = statement.where(q.unit_code == unit_code)
    if year is not None:
        statement = statement.where(q.year == year)
    result = await conn.execute(
        statement.values(attempts=0, quarantined_at=None, next_attempt_at=None, last_error=None)
    )
    return int(result.rowcount or 0)


async def counts(conn: AsyncConnection) -> QueueCounts:
    """Marks waiting, and marks in quarantine."""
    query = select(func.count(), func.count(q.quarantined_at)).select_from(rebuild_queue)
    total, quarantined = (await conn.execute(query)).one()
    return QueueCounts(int(total) - int(quarantined), int(quarantined))


async def pending(conn: AsyncConnection) -> bool:
    """True when some mark waits."""
    return (await conn.execute(select(q.unit_code).limit(1))).first() is not None
