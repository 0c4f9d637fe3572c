"""Unit mergers: record them (old units retired), and read a merged unit's earlier history."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.mergers import Merger, predecessors
from backend.core.snapshots import pick_for_view
from backend.db.database import Database
from backend.db.repositories import audit, rebuild_queue
from backend.db.repositories import mergers as repo
from backend.db.repositories import snapshots as snapshot_repo
from backend.db.repositories import targets as target_repo
from backend.db.repositories import units as unit_repo
from backend.services.units import UnitRecord, load_unit, reparent_unit
from shared_schema.framework import Framework
from shared_schema.plan_wire import MergerIn, MergerView
from shared_schema.sync import Snapshot, snapshot_from_dict


def _refuse(vi: str, en: str) -> InvalidInput:
    """A merger that cannot be recorded."""
    return InvalidInput("merger_invalid", vi, en)


def _check_pair(framework: Framework, old: UnitRecord, new: UnitRecord, merged: set[str]) -> None:
    """Same level (communes merged), or the old unit abolished into one above it (a district)."""
    if old.code == new.code or old.code in merged or old.retired:
        raise _refuse(
            f"Đơn vị {old.code} đã sáp nhập hoặc trùng đơn vị mới",
            f"Unit {old.code} is already merged or is the new unit itself",
        )
    old_rank = framework.level(old.level)
    new_rank = framework.level(new.level)
    same = old.level == new.level
    above = (
        old_rank and new_rank and new_rank.rank < old_rank.rank and old.path.startswith(new.path)
    )
    if not (same or above):
        raise _refuse(
            f"{old.code} ({old.level}) không thể sáp nhập vào {new.code} ({new.level})",
            f"{old.code} ({old.level}) cannot be merged into {new.code} ({new.level})",
        )


async def _check_no_assessed_children(
    conn: AsyncConnection, framework: Framework, old: UnitRecord
) -> None:
    """An abolished district's communes are moved first (its villages may stay as history)."""
    below = [
        c.code
        for c in await unit_repo.children(conn, old.code)
        if not c.retired and framework.criteria_for(c.level) is not None
    ]
    if below:
        raise _refuse(
            f"Cần chuyển các đơn vị trực thuộc {old.code} trước: {', '.join(below[:5])}",
            f"Move the units below {old.code} first: {', '.join(below[:5])}",
        )


async def _closed_targets(conn: AsyncConnection, old: UnitRecord, from_year: int) -> list[str]:
    """The old unit's targets from the merger's year on: closed (kept as history, no longer run)."""
    rows = await target_repo.in_subtree(conn, old.path)
    return [
        f"{r.unit_code}/{r.year}" for r in rows if r.unit_code == old.code and r.year >= from_year
    ]


async def record_merger(
    db: Database, framework: Framework, actor: Principal, body: MergerIn
) -> list[MergerView]:
    """Merge old units into a new one from a date: villages move, old ones retire, history stays."""
    require(actor, "unit_manage")
    if not body.old_codes:
        raise _refuse("Cần ít nhất một đơn vị cũ", "At least one old unit is needed")
    views = []
    async with db.write() as conn:
        new = await load_unit(conn, body.new_code)
        require_scope(actor, new.path)
        if new.retired:
            raise _refuse("Đơn vị mới đã ngừng hoạt động", "The new unit is retired")
        merged = {m.old_code for m in await repo.all_mergers(conn)}
        for code in dict.fromkeys(body.old_codes):
            old = await load_unit(conn, code)
            require_scope(actor, old.path)
            _check_pair(framework, old, new, merged)
            await _check_no_assessed_children(conn, framework, old)
            closed = await _closed_targets(conn, old, body.effective_on.year)
            note = body.note + (
                f" — chỉ tiêu đóng lại / targets closed: {', '.join(closed)}" if closed else ""
            )
            merger = Merger(code, new.code, body.effective_on, note.strip(" —"))
            await repo.insert(conn, merger, actor.username)
            for child in await unit_repo.children(conn, code):  # its villages join the new unit
                if not child.retired:
                    await reparent_unit(conn, framework, child.code, new.code)
            await unit_repo.update_fields(conn, code, retired=True)
            for year in await repo.snapshot_years(conn, code):
                await rebuild_queue.mark(conn, new.code, year)  # earlier years: the olds' figures
            merged.add(code)
            views.append(MergerView(code, new.code, body.effective_on, merger.note))
        await audit.record(
            conn,
            actor,
            "unit.merge",
            "unit",
            new.code,
            new.code,
            old_codes=list(body.old_codes),
            effective_on=body.effective_on.isoformat(),
        )
    return views


async def list_mergers(db: Database, actor: Principal) -> list[MergerView]:
    """Every merger recorded at this node."""
    require(actor, "read")
    async with db.read() as conn:
        found = await repo.all_mergers(conn)
    return [MergerView(m.old_code, m.new_code, m.effective_on, m.note) for m in found]


async def predecessor_history(
    conn: AsyncConnection, unit_code: str, year: int, own_origin: str
) -> tuple[list[Snapshot], set[str]]:
    """For a year before a merger: the old units' snapshots (to fold into the new unit once)
    and the villages that came from them (already counted there, so not again)."""
    olds = predecessors(await repo.all_mergers(conn), unit_code, year)
    if not olds:
        return [], set()
    held: dict[str, list[Snapshot]] = defaultdict(list)
    for row in await snapshot_repo.for_units(conn, olds, year):
        held[row.unit_code].append(snapshot_from_dict(row.body))
    picked = [pick_for_view(held[old], own_origin) for old in olds]
    moved = await repo.units_once_under(conn, olds)
    return [p for p in picked if p is not None], moved
