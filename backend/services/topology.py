"""Changes to the tree that move figures between parents: re-parenting, link resets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from backend.core.access import Principal, require, require_scope
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.tables import outbox
from backend.services.snapshots import rebuild_all
from backend.services.units import load_unit, reparent_unit
from shared_schema.framework import Framework


async def move_unit(
    db: Database, framework: Framework, actor: Principal, node_unit: str, code: str, parent: str
) -> int:
    """Re-parent a unit here (history kept) and rebuild: the old parent stops counting it."""
    require(actor, "sync_admin")
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        target = await load_unit(conn, parent)
        if not (actor.covers(unit.path) or actor.covers(target.path)):
            require_scope(actor, unit.path)  # a node may give a unit away or take one in
        await reparent_unit(conn, framework, code, parent)
        await audit.record(
            conn, actor, "unit.move", "unit", code, parent, before=unit.parent_code, after=parent
        )
        return await rebuild_all(conn, framework, node_unit)


async def resend_everything(db: Database) -> None:
    """After enrolling with a (new) parent, every kept snapshot must be pushed to it again."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        await conn.execute(
            update(outbox).values(sent_revision=0, attempts=0, next_attempt_at=now, last_error=None)
        )
