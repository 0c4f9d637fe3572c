"""The node's database handle: read connections and write units of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn

from backend.db.engine import make_engine


class Database:
    """Wraps the engine; on SQLite, writers take turns so none fails with 'database is locked'."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None

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

    @asynccontextmanager
    async def driver(self) -> AsyncIterator[Any]:
        """A pooled connection's own driver connection for prepared statements, outside any
        transaction (each statement commits alone). Dropped, not pooled, when it broke or a
        cancellation may have cut a statement short."""
        pooled = await self.engine.raw_connection()
        driver = pooled.driver_connection
        try:
            yield driver
        except BaseException as exc:
            if driver is None or driver.is_closed() or not isinstance(exc, Exception):
                await greenlet_spawn(pooled.invalidate)
            raise
        finally:
            await greenlet_spawn(pooled.close)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
