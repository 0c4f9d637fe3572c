"""Alembic environment: runs the same migrations on SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from backend.db.tables import metadata


def _run(connection: Connection) -> None:
    """Configure the context on a live connection and run the pending migrations."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    """Open an async engine and hand its connection to the sync migration runner."""
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


connectable = context.config.attributes.get("connection")
if connectable is not None:
    _run(connectable)
else:
    asyncio.run(_run_async(context.config.get_main_option("sqlalchemy.url") or ""))
