"""One holder per node database: the process that runs the relay and the rebuilder.

PostgreSQL: a session advisory lock held on a dedicated connection (freed if the process dies).
SQLite: an exclusive file lock beside the database file (freed by the kernel likewise).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.database import Database

ADVISORY_KEY = 0x58484854  # "XHHT": the node's singleton duties


def lock_file_for(url: str) -> Path:
    """The lock file of a SQLite database: beside it, so every process of the node finds it."""
    database = make_url(url).database or "xhht.sqlite3"
    return Path(database).resolve().with_name(Path(database).name + ".singleton.lock")


class NodeSingleton:
    """Try to become (and stay) the node's one holder; release on shutdown."""

    def __init__(self, db: Database, url: str) -> None:
        self.db, self.url = db, url
        self._conn: AsyncConnection | None = None
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        """True while this process holds the lock."""
        return self._conn is not None or self._file is not None

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits."""
        if self.held:
            return True
        if self.db.dialect == "postgresql":
            return await self._try_advisory()
        return self._try_file()

    async def _try_advisory(self) -> bool:
        """pg_try_advisory_lock on a connection kept open for as long as we hold it."""
        conn = await self.db.engine.connect()
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        got = (await conn.execute(text(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})"))).scalar()
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    def _try_file(self) -> bool:
        """flock(LOCK_EX | LOCK_NB) on the lock file."""
        path = lock_file_for(self.url)
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    async def still_held(self) -> bool:
        """False when the dedicated connection died (and with it the advisory lock)."""
        if self._conn is None:
            return self._file is not None
        try:
            await self._conn.execute(text("SELECT 1"))
        except Exception:  # the server went away: the lock is gone with the session
            await self._drop_connection()
            return False
        return True

    async def _drop_connection(self) -> None:
        """Forget a dead or released connection."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def release(self) -> None:
        """Let another process take over."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.execute(text(f"SELECT pg_advisory_unlock({ADVISORY_KEY})"))
            await self._drop_connection()
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
