"""Tally revisions and the per-(village, year) head whose revision is the current one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, bindparam, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.paths import path_under
from backend.db.tables import audit_log, child_nodes, tallies, tally_heads, units

CURRENT = and_(
    tally_heads.c.village_code == tallies.c.village_code,
    tally_heads.c.year == tallies.c.year,
    tally_heads.c.revision == tallies.c.revision,
)
TALLY_COLUMNS = [
    "client_uuid",
    "village_code",
    "year",
    "status",
    "figures",
    "flags",
    "content_hash",
    "framework_version",
    "submitted_by",
    "received_at",
]


def _context_query() -> Any:
    """Built once: village facts, an earlier tally with the same UUID, last year's figures, and
    the unit below us that runs its own node for this village (if any)."""
    existing = select(tallies.c.id).where(tallies.c.client_uuid == bindparam("client_uuid"))
    head = select(tally_heads.c.revision).where(
        tally_heads.c.village_code == bindparam("village"),
        tally_heads.c.year == bindparam("previous_year"),
    )
    previous = select(tallies.c.figures).where(  # one index probe, however many revisions
        tallies.c.village_code == bindparam("village"),
        tallies.c.year == bindparam("previous_year"),
        tallies.c.revision == head.scalar_subquery(),
    )
    delegate = units.alias("delegate")
    delegated = (
        select(delegate.c.code)
        .join(child_nodes, child_nodes.c.unit_code == delegate.c.code)
        .where(child_nodes.c.revoked_at.is_(None), path_under(units.c.path, delegate.c.path))
        .limit(1)
    )
    return select(
        units.c.path,
        units.c.level,
        units.c.retired,
        existing.scalar_subquery().label("existing_id"),
        previous.scalar_subquery().label("previous"),
        delegated.scalar_subquery().label("delegated_to"),
    ).where(units.c.code == bindparam("village"))


CONTEXT_QUERY = _context_query()


async def submission_context(
    conn: AsyncConnection, village: str, year: int, client_uuid: str
) -> Row | None:  # type: ignore[type-arg]
    """In one round trip: the village, a tally already sent with this UUID, last year's figures."""
    params = {"village": village, "previous_year": year - 1, "client_uuid": client_uuid}
    return (await conn.execute(CONTEXT_QUERY, params)).first()


async def by_client_uuid(conn: AsyncConnection, client_uuid: str) -> Row | None:  # type: ignore[type-arg]
    """The tally a phone already sent with this UUID, if any."""
    query = select(tallies).where(tallies.c.client_uuid == client_uuid)
    return (await conn.execute(query)).first()


async def by_id(conn: AsyncConnection, tally_id: int) -> Row | None:  # type: ignore[type-arg]
    """One tally revision with its village's path and name and the head's current revision."""
    query = (
        select(
            tallies,
            units.c.path,
            units.c.name.label("village_name"),
            tally_heads.c.revision.label("current_revision"),
        )
        .join(units, units.c.code == tallies.c.village_code)
        .join(
            tally_heads,
            and_(
                tally_heads.c.village_code == tallies.c.village_code,
                tally_heads.c.year == tallies.c.year,
            ),
        )
        .where(tallies.c.id == tally_id)
    )
    return (await conn.execute(query)).first()


def bump_head(statement: Any) -> Any:
    """An INSERT of a head at revision 1 made to add one when it exists, returning the revision;
    its row lock serialises a village-year."""
    return statement.on_conflict_do_update(
        index_elements=[tally_heads.c.village_code, tally_heads.c.year],
        set_={"revision": tally_heads.c.revision + 1},
    ).returning(tally_heads.c.revision)


AUDIT_COLUMNS = [c.name for c in audit_log.columns if c.name != "id"]
SQLITE_BUMP = bump_head(
    sqlite.insert(tally_heads).values(
        village_code=bindparam("village_code"), year=bindparam("year"), revision=1
    )
)


async def insert_revision(
    conn: AsyncConnection, row: dict[str, Any], audit: dict[str, Any]
) -> tuple[int, int]:
    """Store a new current revision with its audit row (SQLite; PostgreSQL: tally_ingest)."""
    head = {"village_code": row["village_code"], "year": row["year"]}
    revision = int((await conn.execute(SQLITE_BUMP, head)).scalar_one())
    result = await conn.execute(
        tallies.insert().values(**row, revision=revision).returning(tallies.c.id)
    )
    await conn.execute(audit_log.insert().values(audit))
    return int(result.scalar_one()), revision


async def current_values(conn: AsyncConnection, village: str, year: int) -> dict[str, int] | None:
    """The current tally values of a village for a year."""
    query = (
        select(tallies.c.figures)
        .join(tally_heads, CURRENT)
        .where(tally_heads.c.village_code == village, tally_heads.c.year == year)
    )
    values = (await conn.execute(query)).scalar_one_or_none()
    return dict(values) if values is not None else None


async def current_in_subtree(conn: AsyncConnection, path: str, year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Current tallies of every village under a path for a year."""
    query = (
        select(tallies, units.c.name.label("village_name"))
        .join(tally_heads, CURRENT)
        .join(units, units.c.code == tallies.c.village_code)
        .where(tally_heads.c.year == year, units.c.path.startswith(path, autoescape=True))
        .order_by(units.c.name)
    )
    return (await conn.execute(query)).all()


async def history(conn: AsyncConnection, village: str, year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every revision of a village's tally for a year, newest first."""
    query = (
        select(tallies, units.c.name.label("village_name"))
        .join(units, units.c.code == tallies.c.village_code)
        .where(tallies.c.village_code == village, tallies.c.year == year)
        .order_by(tallies.c.revision.desc())
    )
    return (await conn.execute(query)).all()


async def set_review(conn: AsyncConnection, tally_id: int, **values: Any) -> None:
    """Record a confirmation or return on a tally revision."""
    await conn.execute(update(tallies).where(tallies.c.id == tally_id).values(**values))
