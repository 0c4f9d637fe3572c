"""Create the async engine for SQLite or PostgreSQL with the settings each needs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL for concurrent readers, a busy timeout for writers, and enforced foreign keys."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _private_sqlite_file(url: str) -> None:
    """The database file is readable by the node's user only (SQLite copies that to -wal/-shm)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.parent.is_dir():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        path.chmod(0o600)


_decode_json = msgspec.json.Decoder().decode  # JSON columns (snapshot bodies) read 4× faster


def make_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    """An engine for the node's database."""
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, json_deserializer=_decode_json
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(  # kept connections (no overflow: a burst forks no backends)
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=False,
        json_deserializer=_decode_json,
    )
