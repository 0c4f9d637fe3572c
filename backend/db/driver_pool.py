"""Raw asyncpg connections for the hot path's prepared statements, beside SQLAlchemy's pool.

A checkout from SQLAlchemy's pool costs two greenlet hops, and asyncpg's own pool resets a
connection with a round trip on every release; together about a tenth of a submission's CPU.
The hot path leaves no session state behind (single statements: no SET, LISTEN or advisory
lock), so a connection goes back as it is, unless it broke, was cut short by a cancellation
or was left inside a transaction: then it is closed, and a new one opened when next needed.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import msgspec
from sqlalchemy.engine import make_url

_decode_json = msgspec.json.Decoder().decode


def asyncpg_dsn(url: str) -> str:
    """The libpq-style address asyncpg takes, from the node's SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class DriverPool:
    """Up to `size` asyncpg connections, opened when first needed and closed with the node."""

    def __init__(self, url: str, size: int) -> None:
        self.dsn = asyncpg_dsn(url)
        self._idle: list[Any] = []
        self._free = asyncio.Semaphore(size)

    async def _open(self) -> Any:
        """A new connection whose JSON columns read as Python values (as through SQLAlchemy)."""
        import asyncpg  # type: ignore[import-untyped]  # loaded by PostgreSQL nodes only

        connection = await asyncpg.connect(self.dsn)
        await connection.set_type_codec(
            "json", schema="pg_catalog", encoder=str, decoder=_decode_json, format="text"
        )
        return connection

    async def take(self) -> Any:
        """An idle sound connection, or a new one; waits while `size` are out."""
        await self._free.acquire()
        try:
            while self._idle:
                connection = self._idle.pop()
                if not connection.is_closed():
                    return connection
            return await self._open()
        except BaseException:
            self._free.release()
            raise

    def give_back(self, connection: Any, sound: bool) -> None:
        """Keep a sound connection outside any transaction; close any other."""
        if sound and not connection.is_closed() and not connection.is_in_transaction():
            self._idle.append(connection)
        else:
            connection.terminate()
        self._free.release()

    def connection(self) -> Lease:
        """`async with pool.connection() as driver:` one connection for a unit of work."""
        return Lease(self)

    async def close(self) -> None:
        """Close the idle connections (the node is stopping)."""
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


class Lease:
    """One connection out of the pool for the length of a block (a class: cheaper than a
    generator-based context manager on the hot path)."""

    __slots__ = ("connection", "pool")

    def __init__(self, pool: DriverPool) -> None:
        self.pool = pool
        self.connection: Any = None

    async def __aenter__(self) -> Any:
        self.connection = await self.pool.take()
        return self.connection

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        sound = error is None or isinstance(error, Exception)  # cancelled: a statement may run on
        self.pool.give_back(self.connection, sound)
