"""The tally submission's two statements: on PostgreSQL prepared on the driver's own connection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Protocol

import msgspec
from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.database import Database
from backend.db.repositories import rebuild_queue
from backend.db.repositories import tallies as repo
from backend.db.tables import audit_log, tallies
from backend.db.tables import rebuild_queue as queue_table

UNIQUE_VIOLATION = "23505"  # SQLSTATE: a second tally with the same client UUID lost the race
JSON_PARAMS = frozenset({"figures", "flags", "audit_detail"})


@dataclass(frozen=True)
class SubmissionContext:
    """The village, a tally already sent with this UUID, last year's figures, a delegate node."""

    path: str
    level: str
    retired: bool
    existing_id: int | None
    previous: dict[str, Any] | None
    delegated_to: str | None


class TallyStore(Protocol):
    """What submitting a tally needs from the database, inside one unit of work."""

    async def context(self, village: str, year: int, client_uuid: str) -> SubmissionContext | None:
        """In one round trip: what the checks before storing need."""

    async def existing(self, client_uuid: str) -> Any:
        """The tally stored earlier under this UUID (a row: columns as attributes)."""

    async def store(self, row: dict[str, Any], audit: dict[str, Any]) -> tuple[int, int]:
        """The new current revision, its audit row and the rebuild mark, atomically."""


def _context(row: Any) -> SubmissionContext | None:
    """A context from a SQLAlchemy row or an asyncpg record."""
    if row is None:
        return None
    previous = row["previous"]
    return SubmissionContext(
        row["path"],
        row["level"],
        bool(row["retired"]),
        row["existing_id"],
        dict(previous) if previous is not None else None,
        row["delegated_to"],
    )


class SqlTallyStore:
    """Through SQLAlchemy, inside the caller's write transaction (SQLite)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def context(self, village: str, year: int, client_uuid: str) -> SubmissionContext | None:
        """The context query through SQLAlchemy."""
        row = await repo.submission_context(self.conn, village, year, client_uuid)
        return _context(row._mapping if row is not None else None)

    async def existing(self, client_uuid: str) -> Row[Any]:
        """The earlier tally, read in the same transaction."""
        row = await repo.by_client_uuid(self.conn, client_uuid)
        assert row is not None  # the context just found its id
        return row

    async def store(self, row: dict[str, Any], audit: dict[str, Any]) -> tuple[int, int]:
        """Head, revision and audit row, then the mark; committed with the transaction."""
        stored = await repo.insert_revision(self.conn, row, audit)
        await rebuild_queue.mark(self.conn, row["village_code"], row["year"])
        return stored


class Prepared:
    """A Core statement compiled once for asyncpg: its SQL text and the order of its parameters."""

    def __init__(self, statement: Any) -> None:
        compiled = statement.compile(dialect=pg_asyncpg.dialect())  # type: ignore[no-untyped-call]
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.fixed: dict[str, Any] = dict(compiled.params)  # constants such as LIMIT 1

    def args(self, params: dict[str, Any]) -> list[Any]:
        """Positional arguments from named ones (JSON already encoded by the caller)."""
        fixed = self.fixed
        return [params[n] if n in params else fixed[n] for n in self.names]


def _write_statement() -> Any:
    """Bump the head, insert the revision, append the audit row and mark the village-year."""
    head = repo.bump_head(postgresql).cte("head")
    audit = (
        insert(audit_log)
        .values({c: bindparam(f"audit_{c}", type_=audit_log.c[c].type) for c in repo.AUDIT_COLUMNS})
        .cte("audit")
    )
    mark = rebuild_queue.upsert_mark(
        postgresql.insert(queue_table).values(
            unit_code=bindparam("village_code"),
            year=bindparam("year"),
            queued_at=bindparam("received_at"),
            attempts=0,
        )
    ).cte("mark")
    columns = [bindparam(c, type_=tallies.c[c].type) for c in repo.TALLY_COLUMNS]
    source = select(*columns, head.c.revision).select_from(head)
    return (
        insert(tallies)
        .from_select([*repo.TALLY_COLUMNS, "revision"], source)
        .returning(tallies.c.id, tallies.c.revision)
        .add_cte(audit, mark)
    )


CONTEXT = Prepared(repo.CONTEXT_QUERY)
WRITE = Prepared(_write_statement())
EXISTING = Prepared(select(tallies).where(tallies.c.client_uuid == bindparam("uuid")))
JSON = msgspec.json.Encoder()


class PostgresTallyStore:
    """On the driver's connection: prepared statements, the write one atomic on its own.

    The context read takes no lock, as it took none inside a READ COMMITTED transaction, so
    running it before the write's own transaction changes nothing a caller can observe."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def context(self, village: str, year: int, client_uuid: str) -> SubmissionContext | None:
        """The context query, prepared once per connection."""
        params = {"village": village, "previous_year": year - 1, "client_uuid": client_uuid}
        return _context(await self.driver.fetchrow(CONTEXT.sql, *CONTEXT.args(params)))

    async def existing(self, client_uuid: str) -> Any:
        """The earlier tally, its columns as attributes like a SQLAlchemy row."""
        record = await self.driver.fetchrow(EXISTING.sql, *EXISTING.args({"uuid": client_uuid}))
        assert record is not None  # the context just found its id
        return SimpleNamespace(**dict(record))

    async def store(self, row: dict[str, Any], audit: dict[str, Any]) -> tuple[int, int]:
        """One statement, so one transaction; a lost UUID race is SQLAlchemy's IntegrityError."""
        params = {**row, **{f"audit_{c}": audit[c] for c in repo.AUDIT_COLUMNS}}
        for name in JSON_PARAMS:
            params[name] = JSON.encode(params[name]).decode()
        try:
            stored = await self.driver.fetchrow(WRITE.sql, *WRITE.args(params))
        except Exception as exc:
            if getattr(exc, "sqlstate", None) == UNIQUE_VIOLATION:
                raise IntegrityError(WRITE.sql, None, exc) from exc
            raise
        return int(stored["id"]), int(stored["revision"])


@asynccontextmanager
async def tally_store(db: Database) -> AsyncIterator[TallyStore]:
    """The submission's unit of work: prepared statements on PostgreSQL, a transaction on SQLite."""
    if db.dialect == "postgresql":
        async with db.driver() as driver:
            yield PostgresTallyStore(driver)
        return
    async with db.write() as conn:
        yield SqlTallyStore(conn)
