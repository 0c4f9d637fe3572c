"""Changes to the tree that move figures between parents: re-parenting, link resets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require
from backend.core.errors import Forbidden, InvalidInput
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.tables import outbox
from backend.services.decision_effects import publish
from backend.services.decisions import restart_feed
from backend.services.snapshots import rebuild_all
from backend.services.units import UnitRecord, load_unit, reparent_unit
from shared_schema.framework import Framework


def _require_both_parents(actor: Principal, current: UnitRecord, target: UnitRecord) -> None:
    """Only someone over the old and the new parent moves a unit: no taking in, no giving away."""
    if not (actor.covers(current.path) and actor.covers(target.path)):
        raise Forbidden(
            "unit_move_forbidden",
            "Cần có thẩm quyền đối với cả đơn vị cấp trên hiện tại và đơn vị cấp trên mới để "
            f"chuyển đơn vị (từ {current.code} sang {target.code})",
            "Moving a unit needs authority over both its current and its new parent "
            f"({current.code} and {target.code})",
        )


async def move_in_transaction(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    parent: str,
    year: int,
) -> str:
    """Re-parent here (history kept) and publish the move so the nodes below apply it once."""
    require(actor, "sync_admin")
    target = await load_unit(conn, parent)
    current = await load_unit(conn, unit.parent_code) if unit.parent_code else unit
    _require_both_parents(actor, current, target)
    if unit.parent_code == target.code:
        raise InvalidInput(
            "unit_move_unchanged",
            f"Đơn vị {unit.code} đã thuộc {target.code}",
            f"Unit {unit.code} is already under {target.code}",
        )
    await reparent_unit(conn, framework, unit.code, target.code)
    await audit.record(
        conn, actor, "unit.move", "unit", unit.code, parent, before=unit.parent_code, after=parent
    )
    payload = {"parent": target.code, "previous_parent": unit.parent_code or ""}
    return await publish(
        conn, "unit_move", unit.code, year, payload, actor.unit_code, actor.username
    )


async def move_unit(
    db: Database, framework: Framework, actor: Principal, node_unit: str, code: str, parent: str
) -> int:
    """Re-parent a unit here and rebuild: the old parent stops counting it, the new one starts."""
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        year = datetime.now(UTC).year
        await move_in_transaction(conn, framework, actor, unit, parent, year)
        return await rebuild_all(conn, framework, node_unit)


async def resend_everything(db: Database) -> None:
    """After enrolling with a (new) parent, every kept snapshot must be pushed to it again."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        await conn.execute(
            update(outbox).values(sent_revision=0, attempts=0, next_attempt_at=now, last_error=None)
        )
        await restart_feed(conn)  # the new parent numbers its decisions its own way
