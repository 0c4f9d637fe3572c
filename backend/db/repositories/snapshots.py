"""Snapshots kept per (origin, unit, year) with their history, and the outbox that pushes them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Text, and_, cast, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.times import utc
from backend.core.unit_rollup import KeptSnapshot
from backend.db.code_lists import one_of
from backend.db.decoded_snapshots import DecodedSnapshots, SnapshotKey, decoded_for
from backend.db.tables import outbox, snapshot_history, snapshots, tally_heads, units
from shared_schema.sync import Snapshot, snapshot_from_dict, snapshot_from_json, snapshot_to_dict


def upsert(conn: AsyncConnection, table: Any) -> Any:
    """INSERT … ON CONFLICT for the connection's dialect."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


async def get(conn: AsyncConnection, origin: str, unit: str, year: int) -> Snapshot | None:
    """The kept snapshot of one origin for one unit and year."""
    query = select(snapshots.c.body).where(
        snapshots.c.origin == origin, snapshots.c.unit_code == unit, snapshots.c.year == year
    )
    body = (await conn.execute(query)).scalar_one_or_none()
    return snapshot_from_dict(body) if body is not None else None


async def many(
    conn: AsyncConnection, keys: Iterable[tuple[str, str, int]]
) -> dict[tuple[str, str, int], Snapshot]:
    """Kept snapshots for several (origin, unit, year) keys."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    query = select(snapshots.c.body).where(
        tuple_(snapshots.c.origin, snapshots.c.unit_code, snapshots.c.year).in_(wanted)
    )
    found = [snapshot_from_dict(b) for b in (await conn.execute(query)).scalars()]
    return {(s.origin, s.unit, s.year): s for s in found}


async def for_units(conn: AsyncConnection, units: Sequence[str], year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every origin's snapshot of these units for a year, with when it arrived."""
    query = select(snapshots).where(snapshots.c.year == year, snapshots.c.unit_code.in_(units))
    return (await conn.execute(query)).all()


async def keep(conn: AsyncConnection, snapshot: Snapshot, via: str, at: datetime) -> bool:
    """Keep a revision only if it beats the kept one, decided by the statement itself.

    The guard sits in the upsert so that an older push committing last cannot win: the database
    compares against the committed row (PostgreSQL waits for a concurrent writer, then re-checks).
    Returns True when the row changed (and the revision went into the history).
    """
    row = {
        "origin": snapshot.origin,
        "unit_code": snapshot.unit,
        "year": snapshot.year,
        "revision": snapshot.revision,
        "content_hash": snapshot.content_hash,
        "body": snapshot_to_dict(snapshot),
        "via": via,
        "received_at": at,
    }
    statement = upsert(conn, snapshots).values(row)
    incoming = statement.excluded
    changing = {k: incoming[k] for k in ("revision", "content_hash", "body", "via", "received_at")}
    newer = or_(
        snapshots.c.revision < incoming.revision,
        and_(
            snapshots.c.revision == incoming.revision,
            snapshots.c.content_hash < incoming.content_hash,
        ),
    )
    result = await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["origin", "unit_code", "year"], set_=changing, where=newer
        ).returning(snapshots.c.revision)
    )
    if result.first() is None:
        return False
    await conn.execute(snapshot_history.insert().values(row))
    return True


async def history(conn: AsyncConnection, unit: str, year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every kept revision of a unit-year from any origin, newest first."""
    query = (
        select(snapshot_history)
        .where(snapshot_history.c.unit_code == unit, snapshot_history.c.year == year)
        .order_by(snapshot_history.c.id.desc())
    )
    return (await conn.execute(query)).all()


async def years(conn: AsyncConnection) -> set[int]:
    """Years that have tallies or snapshots here."""
    tally_years = (await conn.execute(select(tally_heads.c.year).distinct())).scalars()
    snap_years = (await conn.execute(select(snapshots.c.year).distinct())).scalars()
    return set(tally_years) | set(snap_years)


async def enqueue(conn: AsyncConnection, snapshot: Snapshot, now: datetime) -> None:
    """One outbox row per (origin, unit, year); a newer revision replaces what is waiting."""
    statement = upsert(conn, outbox).values(
        origin=snapshot.origin,
        unit_code=snapshot.unit,
        year=snapshot.year,
        revision=snapshot.revision,
        sent_revision=0,
        body=snapshot_to_dict(snapshot),
        attempts=0,
        next_attempt_at=now,
        updated_at=now,
    )
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["origin", "unit_code", "year"],
            set_={
                "revision": statement.excluded.revision,
                "body": statement.excluded.body,
                "attempts": 0,
                "last_error": None,
                "quarantined_at": None,  # new content gets a fresh chance
                "next_attempt_at": statement.excluded.next_attempt_at,
                "updated_at": statement.excluded.updated_at,
            },
            where=outbox.c.revision < statement.excluded.revision,
        )
    )


async def due(conn: AsyncConnection, now: datetime, limit: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Outbox rows whose newest revision is not yet acknowledged and whose turn has come."""
    query = (
        select(outbox)
        .where(outbox.c.sent_revision < outbox.c.revision, outbox.c.next_attempt_at <= now)
        .where(outbox.c.quarantined_at.is_(None))
        .order_by(outbox.c.next_attempt_at, outbox.c.unit_code)
        .limit(limit)
    )
    return (await conn.execute(query)).all()


async def mark_sent(conn: AsyncConnection, sent: Iterable[Snapshot], now: datetime) -> None:
    """Remember the revisions the parent acknowledged (a newer one queued meanwhile stays due)."""
    for snap in sent:
        await conn.execute(
            update(outbox)
            .where(
                outbox.c.origin == snap.origin,
                outbox.c.unit_code == snap.unit,
                outbox.c.year == snap.year,
                outbox.c.sent_revision < snap.revision,
            )
            .values(sent_revision=snap.revision, sent_at=now, attempts=0, last_error=None)
        )


async def pending(conn: AsyncConnection) -> int:
    """How many outbox rows still wait for the parent (quarantined ones not counted)."""
    query = (
        select(func.count())
        .select_from(outbox)
        .where(outbox.c.sent_revision < outbox.c.revision, outbox.c.quarantined_at.is_(None))
    )
    return int((await conn.execute(query)).scalar_one())


async def kept_for_units(
    conn: AsyncConnection, units: Sequence[str], year: int
) -> list[KeptSnapshot]:
    """Every origin's kept snapshot of these units for a year, with when it arrived.

    The keys come first; only bodies this process has not decoded before are read and decoded
    (a national table of 3,321 communes otherwise decodes 12 MB of JSON per view)."""
    keys = select(
        snapshots.c.origin,
        snapshots.c.unit_code,
        snapshots.c.revision,
        snapshots.c.content_hash,
        snapshots.c.received_at,
    ).where(snapshots.c.year == year, one_of(conn, snapshots.c.unit_code, units))
    rows = (await conn.execute(keys)).all()
    wanted = {(r.origin, r.unit_code, year, r.revision, r.content_hash): r for r in rows}
    decoded = decoded_for(conn)
    missing = [key for key in wanted if decoded.get(key) is None]
    if missing:
        await _decode_bodies(conn, decoded, year, missing)
    kept = []
    for key, row in wanted.items():
        snapshot = decoded.get(key)
        if snapshot is None:  # replaced between the two reads: read it as it is now
            current = await get(conn, row.origin, row.unit_code, year)
            if current is None:
                continue
            snapshot = current
        kept.append(KeptSnapshot(snapshot, utc(row.received_at)))
    return kept


async def _decode_bodies(
    conn: AsyncConnection, decoded: DecodedSnapshots, year: int, keys: Sequence[SnapshotKey]
) -> None:
    """Read and decode the bodies of these kept rows (text on both databases, msgspec once)."""
    body = cast(snapshots.c.body, Text).label("body")
    pairs = [(origin, unit) for origin, unit, _, _, _ in keys]
    for start in range(0, len(pairs), 2000):
        query = select(body).where(
            snapshots.c.year == year,
            tuple_(snapshots.c.origin, snapshots.c.unit_code).in_(pairs[start : start + 2000]),
        )
        for row in await conn.execute(query):
            snapshot = snapshot_from_json(row.body)
            key = (snapshot.origin, snapshot.unit, year, snapshot.revision, snapshot.content_hash)
            decoded.put(key, snapshot)


async def forget_own_below(conn: AsyncConnection, origin: str, path: str) -> int:
    """Drop this node's own folds of a subtree a child node now reports (history stays)."""
    below = select(units.c.code).where(units.c.path.startswith(path, autoescape=True))
    query = delete(snapshots).where(
        snapshots.c.origin == origin, snapshots.c.via == "", snapshots.c.unit_code.in_(below)
    )
    return (await conn.execute(query)).rowcount or 0
