"""The tally submission's unit of work: its checks, and its SQLite form (tally_ingest_pg)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.tally_flags import jump_flags
from backend.db.database import Database
from backend.db.repositories import rebuild_queue
from backend.db.repositories import tallies as repo
from shared_schema.framework import JumpFlag


@dataclass(frozen=True)
class SubmissionContext:
    """The village, a tally already sent with this UUID, last year's figures, a delegate node."""

    path: str
    level: str
    retired: bool
    existing_id: int | None
    previous: dict[str, Any] | None
    delegated_to: str | None


@dataclass(frozen=True)
class Stored:
    """The new current revision and the flags its figures raised (as stored)."""

    id: int
    revision: int
    flags: list[dict[str, Any]]


@dataclass(frozen=True)
class Attempt:
    """What a submission found, and what it stored when every check passed (else None)."""

    context: SubmissionContext | None
    stored: Stored | None


def accepts(context: SubmissionContext | None, scope: str) -> bool:
    """A new revision may be stored: an active village in scope, not delegated, UUID unused."""
    return (
        context is not None
        and context.level == "village"
        and not context.retired
        and context.existing_id is None
        and context.delegated_to is None
        and context.path.startswith(scope)
    )


class TallyStore(Protocol):
    """What submitting a tally needs from the database, inside one unit of work."""

    async def context(self, village: str, year: int, client_uuid: str) -> SubmissionContext | None:
        """In one round trip: what the checks before storing need."""

    async def existing(self, client_uuid: str) -> Any:
        """The tally stored earlier under this UUID (a row: columns as attributes)."""

    async def submit(
        self, row: dict[str, Any], audit: dict[str, Any], scope: str, rule: JumpFlag
    ) -> Attempt:
        """Store the revision (flagged by `rule`), its audit row and the rebuild mark atomically
        when `accepts` holds; the context either way."""


def context_of(row: Any) -> SubmissionContext | None:
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
        return context_of(row._mapping if row is not None else None)

    async def existing(self, client_uuid: str) -> Row[Any]:
        """The earlier tally, read in the same transaction."""
        row = await repo.by_client_uuid(self.conn, client_uuid)
        assert row is not None  # the context just found its id
        return row

    async def submit(
        self, row: dict[str, Any], audit: dict[str, Any], scope: str, rule: JumpFlag
    ) -> Attempt:
        """Context, then head, revision, audit row and mark; committed with the transaction."""
        context = await self.context(row["village_code"], row["year"], row["client_uuid"])
        if not accepts(context, scope):
            return Attempt(context, None)
        assert context is not None  # accepts() refused a missing village
        flags = [vars(f) for f in jump_flags(rule, context.previous, row["figures"])]
        tally_id, revision = await repo.insert_revision(self.conn, {**row, "flags": flags}, audit)
        await rebuild_queue.mark(self.conn, row["village_code"], row["year"])
        return Attempt(context, Stored(tally_id, revision, flags))


@asynccontextmanager
async def tally_store(db: Database) -> AsyncIterator[TallyStore]:
    """The submission's unit of work: one prepared statement on PostgreSQL, a transaction on
    SQLite."""
    if db.dialect == "postgresql":
        from backend.db.repositories.tally_ingest_pg import PostgresTallyStore

        async with db.driver() as driver:
            yield PostgresTallyStore(driver)
        return
    async with db.write() as conn:
        yield SqlTallyStore(conn)
