"""What a node restored from a backup must redo: re-announce its outbox to the parent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import outbox
from shared_schema.sync import Snapshot, snapshot_from_dict


async def outbox_snapshots(conn: AsyncConnection) -> list[Snapshot]:
    """Every snapshot the outbox holds, sent or not."""
    return [snapshot_from_dict(b) for b in (await conn.execute(select(outbox.c.body))).scalars()]


async def resend_all(conn: AsyncConnection, now: datetime) -> None:
    """Make every outbox row due again, as if never acknowledged."""
    await conn.execute(
        update(outbox).values(sent_revision=0, attempts=0, next_attempt_at=now, last_error=None)
    )
