"""The node's database handle: read connections and write units of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.db.driver_pool import DriverPool, Lease
from backend.db.engine import make_engine

# Beside the engine's 10: a process opens at most 20 connections, as when the engine alone had 20.
HOT_PATH_CONNECTIONS = 10  # a submission holds one for one statement


class Database:
    """Wraps the engine; on SQLite, writers take turns so none fails with 'database is locked'."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        self._drivers = (
            DriverPool(engine.url.render_as_string(hide_password=False), HOT_PATH_CONNECTIONS)
            if self.dialect == "postgresql"
            else None
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        """A database for this URL with the engine settings its dialect needs."""
        return cls(make_engine(url))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for queries; nothing it does is committed."""
        async with self.engine.connect() as connection:
            yield connection

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        if self._write_lock is None:
            async with self.engine.begin() as connection:
                yield connection
            return
        async with self._write_lock, self.engine.begin() as connection:
            yield connection

    def driver(self) -> Lease:
        """`async with db.driver() as connection:` an asyncpg connection of the hot path's own
        pool, outside any transaction (each statement commits alone); PostgreSQL only."""
        if self._drivers is None:
            raise RuntimeError("driver connections exist on PostgreSQL only")
        return self._drivers.connection()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self._drivers is not None:
            await self._drivers.close()
        await self.engine.dispose()
