"""The append-only audit log: who did what, when, from which client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal
from backend.db.tables import audit_log


def audit_row(
    actor: Principal,
    action: str,
    entity: str,
    entity_id: object,
    unit_code: str | None,
    detail: dict[str, Any],
) -> dict[str, Any]:
    """One audit row as a dict, so hot paths can batch it with other statements."""
    return {
        "at": datetime.now(UTC),
        "actor": actor.username,
        "actor_role": actor.role,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "unit_code": unit_code,
        "client_ip": actor.client_ip[:64],
        "user_agent": actor.user_agent[:300],
        "device_id": actor.device_id[:120],
        "detail": detail,
    }


async def record(
    conn: AsyncConnection,
    actor: Principal,
    action: str,
    entity: str,
    entity_id: object,
    unit_code: str | None,
    **detail: Any,
) -> None:
    """Append one audit row inside the caller's transaction."""
    await conn.execute(
        audit_log.insert().values(audit_row(actor, action, entity, entity_id, unit_code, detail))
    )
