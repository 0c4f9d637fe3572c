"""A unit's roll-up for one year: what every view of it shows (status, table, exports, reports)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backend.core.rollup import compute_rates
from shared_schema.evaluation import UnitEvaluation
from shared_schema.framework import Framework
from shared_schema.sync import Snapshot, SnapshotCompleteness, SnapshotRate


@dataclass(frozen=True)
class UnitRollup:
    """Figures, completeness and levels of one unit and year, and which snapshot they come from."""

    unit: str
    year: int
    totals: Mapping[str, int]
    rates: tuple[SnapshotRate, ...]
    completeness: SnapshotCompleteness
    last_reported_at: datetime | None = None
    level_reached: int | None = None
    max_level: int | None = None
    next_level: int | None = None
    missing: tuple[str, ...] = ()
    recognized_level: int | None = None
    claimed_level: int | None = None
    dossier_status: str | None = None
    origin: str = ""
    revision: int = 0
    synced_at: datetime | None = None
    evaluation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reported(self) -> bool:
        """True once at least one village below the unit has reported."""
        return self.completeness.villages_reported > 0


def _optional_int(value: Any) -> int | None:
    """An int from a snapshot's evaluation summary (None when absent or not a number)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def from_snapshot(
    snapshot: Snapshot, synced_at: datetime | None, recognized_here: int | None = None
) -> UnitRollup:
    """The roll-up a snapshot carries; a recognition decided at this node overrides the copy."""
    summary = dict(snapshot.evaluation)
    recognized = (
        recognized_here
        if recognized_here is not None
        else _optional_int(summary.get("recognized_level"))
    )
    summary["recognized_level"] = recognized
    missing = summary.get("missing") or []
    status = summary.get("dossier_status")
    return UnitRollup(
        unit=snapshot.unit,
        year=snapshot.year,
        totals=dict(snapshot.totals),
        rates=tuple(snapshot.rates),
        completeness=snapshot.completeness,
        last_reported_at=snapshot.last_reported_at,
        level_reached=_optional_int(summary.get("level_reached")),
        max_level=_optional_int(summary.get("max_level")),
        next_level=_optional_int(summary.get("next_level")),
        missing=tuple(str(m) for m in missing),
        recognized_level=recognized,
        claimed_level=_optional_int(summary.get("claimed_level")),
        dossier_status=status if isinstance(status, str) else None,
        origin=snapshot.origin,
        revision=snapshot.revision,
        synced_at=synced_at,
        evaluation=summary,
    )


def evaluation_summary(evaluation: UnitEvaluation | None) -> dict[str, Any]:
    """What a snapshot carries of a unit's criteria: reached, highest, next and what is missing."""
    if evaluation is None:
        return {}
    return {
        "level_reached": evaluation.level_reached,
        "max_level": evaluation.max_level,
        "next_level": evaluation.next_level,
        "missing": [m.code for m in evaluation.missing],
    }


def empty(
    framework: Framework,
    unit: str,
    year: int,
    villages: int,
    recognized_here: int | None,
    evaluation: UnitEvaluation | None = None,
) -> UnitRollup:
    """A unit nothing has been folded for yet: its villages exist, none has reported."""
    rates = tuple(
        SnapshotRate(r.code, r.numerator, r.denominator, r.value)
        for r in compute_rates(framework.tally.rates, {})
    )
    summary = evaluation_summary(evaluation)
    if recognized_here is not None:
        summary["recognized_level"] = recognized_here
    return UnitRollup(
        unit=unit,
        year=year,
        totals={},
        rates=rates,
        completeness=SnapshotCompleteness(villages_total=villages),
        level_reached=evaluation.level_reached if evaluation else None,
        max_level=evaluation.max_level if evaluation else None,
        next_level=evaluation.next_level if evaluation else None,
        missing=tuple(m.code for m in evaluation.missing) if evaluation else (),
        recognized_level=recognized_here,
        evaluation=summary,
    )


def run_below(unit_path: str, node_unit: str, delegated: Iterable[str]) -> bool:
    """True when a child node (not this one) reports the unit: it or an ancestor is delegated."""
    on_path = set(unit_path.strip("/").split("/"))
    on_path.discard(node_unit)
    return not on_path.isdisjoint(delegated)


def pick(candidates: Sequence[Snapshot], own_origin: str, delegated_below: bool) -> Snapshot | None:
    """The snapshot that counts, as the parent's fold counts it: built here for a unit run here,
    else the unit's own node's, else the newest other origin (a node between it and us)."""
    if delegated_below:
        candidates = [s for s in candidates if s.origin != own_origin]
    if not candidates:
        return None

    def rank(s: Snapshot) -> tuple[int, int, float]:
        moment = s.generated_at.timestamp() if s.generated_at else 0.0
        return (s.origin == own_origin, s.origin == s.unit, moment)

    return max(candidates, key=rank)


@dataclass(frozen=True)
class KeptSnapshot:
    """A snapshot kept at this node and when it arrived (or was built)."""

    snapshot: Snapshot
    received_at: datetime
