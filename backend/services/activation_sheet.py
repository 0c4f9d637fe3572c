"""A unit's activation sheet: each open code of users the caller manages, as printable cards."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from backend.config import Settings
from backend.core.access import Principal, require, require_scope
from backend.core.activation_codes import grouped
from backend.core.user_rules import may_grant
from backend.db.database import Database
from backend.db.repositories import user_admin as repo
from backend.reports.activation_sheet import SheetCard, activation_sheet_pdf
from backend.services.activation import activation_url, unseal
from backend.services.units import load_unit


async def sheet_cards(
    db: Database, settings: Settings, actor: Principal, unit: str, base_url: str
) -> tuple[str, list[SheetCard]]:
    """The unit's name and one card per user below it whose code is open and unexpired."""
    require(actor, "user_manage")
    now = datetime.now(UTC)
    async with db.read() as conn:
        root = await load_unit(conn, unit)
        require_scope(actor, root.path)
        users = [u for u in await repo.users_in_subtree(conn, root.path) if u.active]
        codes = await repo.pending_codes(conn, [u.id for u in users])
    cards = []
    for user in users:
        code = codes.get(user.id)
        if code is None or code.sealed is None or code.expires_at <= now:
            continue
        if not may_grant(actor, user.role):
            continue
        digits = unseal(settings, code.sealed)
        cards.append(
            SheetCard(
                user.unit_name,
                user.unit_code,
                user.full_name,
                user.username,
                base_url,
                grouped(digits),
                activation_url(base_url, digits),
                code.expires_at,
            )
        )
    return root.name, cards


async def activation_sheet(
    db: Database, settings: Settings, actor: Principal, unit: str, base_url: str
) -> bytes:
    """The printable PDF (rendered off the event loop)."""
    name, cards = await sheet_cards(db, settings, actor, unit, base_url)
    heading = f"Phiếu kích hoạt tài khoản — {name} / Activation sheet"
    return await asyncio.to_thread(activation_sheet_pdf, cards, heading)
