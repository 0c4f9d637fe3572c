"""Who gathers what (pure): a level's bodies, their indicators, the evidence still missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shared_schema.bodies import Responsibilities


@dataclass(frozen=True)
class BodyDuties:
    """A body's indicators (led, supported) and the led ones whose evidence is still missing."""

    code: str
    leads: tuple[str, ...]
    supports: tuple[str, ...]
    missing_evidence: tuple[str, ...]


def duties(
    spec: Responsibilities, needs_evidence: Sequence[str], evidence: Mapping[str, int]
) -> list[BodyDuties]:
    """Per body: what it leads and supports; led indicators needing evidence that have none."""
    found = []
    for body in spec.bodies:
        leads = tuple(a.indicator for a in spec.assignments if a.lead == body.code)
        supports = tuple(a.indicator for a in spec.assignments if body.code in a.support)
        missing = tuple(i for i in leads if i in needs_evidence and not evidence.get(i))
        found.append(BodyDuties(body.code, leads, supports, missing))
    return found


def assignment_text(spec: Responsibilities, indicator: str) -> str:
    """'chủ trì: Phòng Kinh tế; phối hợp: Phòng Văn hóa – Xã hội' for the report, or ''."""
    item = spec.of(indicator)
    if item is None:
        return ""

    def names(codes: Sequence[str]) -> str:
        return ", ".join(b.name.vi for c in codes if (b := spec.body(c)) is not None)

    lead = f"chủ trì: {names([item.lead])}" if item.lead else ""
    support = f"phối hợp: {names(item.support)}" if item.support else ""
    return "; ".join(part for part in (lead, support) if part)
