"""After a restore: the node's own snapshots get fresh revisions so the parent takes them."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.db.database import Database
from backend.db.repositories import restored as repo
from backend.db.repositories import snapshots as snapshot_repo


async def resume_after_restore(db: Database, own_unit: str, now: datetime | None = None) -> int:
    """Re-stamp own snapshots above anything pushed before the restore; resend everything.

    The parent may hold revisions pushed after the backup was taken (from data the restore
    lost). Revisions are wall-clock milliseconds and only grow, so a fresh stamp wins there and
    the parent converges on what this node really holds; children's snapshots go up unchanged.
    Returns how many snapshots were re-stamped.
    """
    now = now or datetime.now(UTC)
    floor = int(now.timestamp() * 1000)
    count = 0
    async with db.write() as conn:
        for snapshot in await repo.outbox_snapshots(conn):
            if snapshot.origin != own_unit:
                continue
            snapshot.revision = max(floor, snapshot.revision + 1)
            await snapshot_repo.keep(conn, snapshot, "", now)
            await snapshot_repo.enqueue(conn, snapshot, now)
            count += 1
        await repo.resend_all(conn, now)
    return count
