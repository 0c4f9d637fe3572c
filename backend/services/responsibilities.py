"""The bodies that gather a unit's evidence: what each leads, supports and still lacks."""

from __future__ import annotations

from backend.core.access import Principal, require, require_scope
from backend.core.responsibilities import duties
from backend.db.database import Database
from backend.db.repositories import assessments as answers
from backend.services.units import load_unit
from shared_schema.criteria import AttestedIndicator
from shared_schema.framework import Framework
from shared_schema.plan_wire import BodyWork


async def unit_bodies(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> list[BodyWork]:
    """Each body of the unit's level with its indicators and the evidence it has yet to bring."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await answers.current(conn, unit.code, [year])
    spec = framework.responsibilities.get(unit.level)
    criteria = framework.criteria_for(unit.level)
    if spec is None or criteria is None:
        return []
    needs = [
        i.code
        for lv in criteria.levels
        for _, i in lv.indicators()
        if isinstance(i, AttestedIndicator) and i.evidence_required
    ]
    evidence = {r.indicator_code: len(r.evidence or []) for r in rows}
    return [
        BodyWork(
            d.code,
            body.name.vi,
            body.name.en,
            body.kind,
            list(d.leads),
            list(d.supports),
            list(d.missing_evidence),
        )
        for d in duties(spec, needs, evidence)
        if (body := spec.body(d.code)) is not None
    ]
