"""Administrative units: look-up, children in scope, create/rename/retire, re-parent, import."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.border_checks import check_name, check_unit_code
from backend.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import units as repo
from shared_schema.framework import Framework
from shared_schema.wire import Unit, UnitIn, UnitPatch


@dataclass(frozen=True)
class UnitRecord:
    """A unit as services use it."""

    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    retired: bool

    def to_wire(self) -> Unit:
        """The wire form (no internal path)."""
        return Unit(self.code, self.name, self.level, self.parent_code, self.retired)


def _record(row: Row) -> UnitRecord:  # type: ignore[type-arg]
    """Row → record."""
    return UnitRecord(row.code, row.name, row.level, row.parent_code, row.path, row.retired)


async def load_unit(conn: AsyncConnection, code: str) -> UnitRecord:
    """A unit by code, or a 404 problem."""
    row = await repo.get(conn, code)
    if row is None:
        raise NotFound("unit_not_found", f"Không tìm thấy đơn vị {code}", f"Unit {code} not found")
    return _record(row)


async def get_unit(db: Database, actor: Principal, code: str) -> Unit:
    """One unit in the caller's scope."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
    require_scope(actor, unit.path)
    return unit.to_wire()


async def list_units(
    db: Database, actor: Principal, parent: str | None, level: str | None
) -> list[Unit]:
    """Children of a unit, or every unit of a level, inside the caller's scope."""
    require(actor, "read")
    async with db.read() as conn:
        if parent:
            unit = await load_unit(conn, parent)
            require_scope(actor, unit.path)
            rows = await repo.children(conn, parent)
        else:
            rows = await repo.in_subtree(conn, actor.unit_path, level, include_retired=True)
    return [_record(r).to_wire() for r in rows if level is None or r.level == level]


def _check_placement(framework: Framework, level: str, parent: UnitRecord | None) -> None:
    """A unit's level must be known and rank below its parent's."""
    own = framework.level(level)
    if own is None:
        raise InvalidInput(
            "unit_level_unknown",
            f"Cấp đơn vị không hợp lệ: {level}",
            f"Unknown unit level: {level}",
        )
    parent_level = framework.level(parent.level) if parent else None
    if parent_level is not None and parent_level.rank >= own.rank:
        raise InvalidInput(
            "unit_parent_level",
            "Đơn vị cấp trên phải ở cấp cao hơn",
            "The parent must be at a higher level",
        )


async def create_unit(db: Database, framework: Framework, actor: Principal, data: UnitIn) -> Unit:
    """A commune officer adds a village (or an officer a lower unit) inside their scope."""
    if not actor.may_manage_level(data.level):
        raise Forbidden(
            "role_forbidden",
            "Vai trò của bạn không được tạo đơn vị cấp này",
            "Your role may not create units of this level",
        )
    code, name = data.code.strip(), data.name.strip()
    check_unit_code(code)
    check_name(name)
    async with db.write() as conn:
        parent = await load_unit(conn, data.parent_code or actor.unit_code)
        require_scope(actor, parent.path)
        _check_placement(framework, data.level, parent)
        if await repo.get(conn, code) is not None:
            raise Conflict(
                "unit_exists", f"Mã đơn vị {code} đã tồn tại", f"Unit code {code} already exists"
            )
        await repo.insert(conn, code, name, data.level, parent.code, f"{parent.path}{code}/")
        await audit.record(
            conn, actor, "unit.create", "unit", code, parent.code, name=name, level=data.level
        )
        created = await load_unit(conn, code)
    return created.to_wire()


async def patch_unit(db: Database, actor: Principal, code: str, patch: UnitPatch) -> Unit:
    """Rename or retire a unit the caller manages; history stays."""
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        if not actor.may_manage_level(unit.level) or unit.path == actor.unit_path:
            raise Forbidden(
                "role_forbidden",
                "Vai trò của bạn không được sửa đơn vị này",
                "Your role may not change this unit",
            )
        changes: dict[str, object] = {}
        if patch.name is not None:
            check_name(patch.name.strip())
            changes["name"] = patch.name.strip()
        if patch.retired is not None:
            changes["retired"] = patch.retired
        if changes:
            await repo.update_fields(conn, code, **changes)
            await audit.record(
                conn,
                actor,
                "unit.update",
                "unit",
                code,
                unit.parent_code,
                before={"name": unit.name, "retired": unit.retired},
                after=changes,
            )
        updated = await load_unit(conn, code)
    return updated.to_wire()


async def reparent_unit(
    conn: AsyncConnection, framework: Framework, code: str, new_parent_code: str | None
) -> None:
    """Move a unit (and its subtree) under another parent, keeping its history."""
    unit = await load_unit(conn, code)
    parent = await load_unit(conn, new_parent_code) if new_parent_code else None
    if parent and parent.path.startswith(unit.path):
        raise InvalidInput(
            "unit_cycle", "Không thể chuyển đơn vị vào chính nó", "A unit cannot move under itself"
        )
    _check_placement(framework, unit.level, parent)
    new_path = f"{parent.path if parent else '/'}{code}/"
    await repo.move(conn, code, unit.path, new_path, new_parent_code)


@dataclass(frozen=True)
class UnitLine:
    """One line of a unit import: code,name,level,parent_code."""

    code: str
    name: str
    level: str
    parent_code: str


def parse_units_csv(text: str) -> list[UnitLine]:
    """Read code,name,level,parent_code lines, refusing a file without those columns."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(
            "units_csv_columns",
            f"Thiếu cột: {', '.join(sorted(missing))}",
            f"Missing columns: {', '.join(sorted(missing))}",
        )
    return [
        UnitLine(
            r["code"].strip(),
            r["name"].strip(),
            r["level"].strip(),
            (r["parent_code"] or "").strip(),
        )
        for r in reader
        if r["code"].strip()
    ]


async def import_units(db: Database, framework: Framework, lines: Iterable[UnitLine]) -> int:
    """Insert or update units, parents first; existing units are renamed or re-parented."""
    count = 0
    async with db.write() as conn:
        for line in sorted(lines, key=lambda u: _rank(framework, u.level)):
            await _import_line(conn, framework, line)
            count += 1
    return count


def _rank(framework: Framework, level: str) -> int:
    """Sort key placing parents before children; unknown levels last (and refused later)."""
    known = framework.level(level)
    return known.rank if known else 99


async def _import_line(conn: AsyncConnection, framework: Framework, line: UnitLine) -> None:
    """Upsert one imported unit."""
    check_unit_code(line.code)
    check_name(line.name)
    parent = await load_unit(conn, line.parent_code) if line.parent_code else None
    _check_placement(framework, line.level, parent)
    existing = await repo.get(conn, line.code)
    if existing is None:
        path = f"{parent.path if parent else '/'}{line.code}/"
        await repo.insert(conn, line.code, line.name, line.level, line.parent_code or None, path)
        return
    await repo.update_fields(conn, line.code, name=line.name, level=line.level)
    if (existing.parent_code or "") != line.parent_code:
        await reparent_unit(conn, framework, line.code, line.parent_code or None)
