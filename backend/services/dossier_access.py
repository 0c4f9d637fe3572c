"""Who may act on a dossier: the unit's own officer, or the recogniser the hierarchy names."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require
from backend.core.dossier_rules import Ancestor, path_codes, recogniser_level, recogniser_of
from backend.core.errors import Forbidden
from backend.db.repositories import units as unit_repo
from backend.services.units import UnitRecord
from shared_schema.framework import Framework


async def recogniser_code(
    conn: AsyncConnection, framework: Framework, hierarchy: str, unit: UnitRecord
) -> str | None:
    """The unit that recognises this one: its nearest ancestor at the configured level."""
    ancestors = []
    for code in path_codes(unit.path)[:-1]:
        row = await unit_repo.get(conn, code)
        if row is not None:
            ancestors.append(Ancestor(row.code, row.level))
    return recogniser_of(ancestors, recogniser_level(framework, hierarchy, unit.level))


def check_actor(actor: Principal, unit: UnitRecord, by: str, recogniser: str | None) -> None:
    """The own unit's officer submits; only the configured recogniser reviews and decides."""
    if by == "unit":
        require(actor, "assessment_write")
        if actor.unit_code != unit.code:
            raise Forbidden(
                "dossier_not_own_unit",
                "Chỉ cán bộ của chính đơn vị được nộp hồ sơ",
                "Only an officer of the unit itself may submit its dossier",
            )
        return
    if actor.unit_code == unit.code:
        raise Forbidden(
            "recognize_own_unit",
            "Không được tự công nhận đơn vị của mình",
            "A unit cannot recognise itself",
        )
    require(actor, "recognize")
    if recogniser is None or actor.unit_code != recogniser:
        raise Forbidden(
            "not_recogniser",
            "Đơn vị của bạn không phải cơ quan có thẩm quyền công nhận đơn vị này",
            "Your unit is not the one that recognises this unit",
        )
