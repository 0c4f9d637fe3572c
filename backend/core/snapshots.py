"""Build a unit's snapshot from village tallies and child snapshots; keep the highest revision."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from backend.core.rollup import compute_rates, merge_totals, sum_tallies
from backend.core.standards import all_rates
from shared_schema.framework import Framework
from shared_schema.sync import (
    Snapshot,
    SnapshotCompleteness,
    SnapshotRate,
    snapshot_content_hash,
)

Key = tuple[str, str, int]  # (origin, unit, year)


@dataclass(frozen=True)
class VillageTally:
    """The current tally of one village, as the roll-up needs it."""

    code: str
    values: Mapping[str, int]
    status: str
    received_at: datetime


@dataclass(frozen=True)
class UnitFacts:
    """Where a unit sits: what the snapshot says about it besides figures."""

    code: str
    level: str
    parent: str
    year: int
    direct_villages: int  # village children of this unit
    child_units: int  # non-village children of this unit


def _latest(moments: Iterable[datetime | None]) -> datetime | None:
    """The newest of some optional moments."""
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def _completeness(
    facts: UnitFacts, tallies: Sequence[VillageTally], parts: Sequence[Snapshot], missing: int
) -> SnapshotCompleteness:
    """Villages and direct children reported, out of those that exist."""
    reported = [t for t in tallies if t.status != "returned"]
    return SnapshotCompleteness(
        villages_total=facts.direct_villages
        + sum(p.completeness.villages_total for p in parts)
        + missing,
        villages_reported=len(reported) + sum(p.completeness.villages_reported for p in parts),
        villages_confirmed=sum(1 for t in tallies if t.status == "confirmed")
        + sum(p.completeness.villages_confirmed for p in parts),
        children_total=facts.direct_villages + facts.child_units,
        children_reported=len(reported)
        + sum(1 for p in parts if p.completeness.villages_reported > 0),
    )


def fold_unit(
    framework: Framework,
    facts: UnitFacts,
    tallies: Sequence[VillageTally],
    parts: Sequence[Snapshot],
    missing_villages: int = 0,
    own_counts: Mapping[str, int] | None = None,
) -> Snapshot:
    """A unit's snapshot (no origin or revision yet) from its villages and its children's parts.

    own_counts: a commune's own standard levels as totals keys (see backend.core.standards).
    """
    counted = [t.values for t in tallies if t.status in framework.tally.rollup_statuses]
    totals = merge_totals([sum_tallies(counted), *(p.totals for p in parts), own_counts or {}])
    rates = [
        SnapshotRate(r.code, r.numerator, r.denominator, r.value)
        for r in compute_rates(all_rates(framework), totals)
    ]
    reported_at = _latest(
        [t.received_at for t in tallies if t.status != "returned"]
        + [p.last_reported_at for p in parts]
    )
    snapshot = Snapshot(
        origin="",
        unit=facts.code,
        year=facts.year,
        level=facts.level,
        parent=facts.parent,
        totals=dict(sorted(totals.items())),
        rates=rates,
        completeness=_completeness(facts, tallies, parts, missing_villages),
        framework_version=framework.version,
        last_reported_at=reported_at,
    )
    snapshot.content_hash = snapshot_content_hash(snapshot)
    return snapshot


def stamp(
    built: Snapshot, origin: str, previous: Snapshot | None, now: datetime
) -> Snapshot | None:
    """Give a rebuilt snapshot its next revision, or None when nothing changed since `previous`."""
    if previous is not None and previous.content_hash == built.content_hash:
        return None
    floor = previous.revision + 1 if previous is not None else 1
    built.origin = origin
    built.revision = max(floor, int(now.timestamp() * 1000))
    built.generated_at = now
    return built


def key_of(snapshot: Snapshot) -> Key:
    """The identity a parent keeps one snapshot for."""
    return (snapshot.origin, snapshot.unit, snapshot.year)


def is_newer(incoming: Snapshot, current: Snapshot | None) -> bool:
    """Higher revision wins; an equal revision with other content is settled by the hash."""
    if current is None:
        return True
    return (incoming.revision, incoming.content_hash) > (current.revision, current.content_hash)


def apply_snapshots(
    state: Mapping[Key, Snapshot], incoming: Iterable[Snapshot]
) -> tuple[dict[Key, Snapshot], list[Snapshot]]:
    """The new state and the snapshots that changed it; duplicates and older ones change nothing."""
    result = dict(state)
    accepted: list[Snapshot] = []
    for snapshot in incoming:
        key = key_of(snapshot)
        if is_newer(snapshot, result.get(key)):
            result[key] = snapshot
            accepted.append(snapshot)
    return result, accepted


def pick_for_view(candidates: Sequence[Snapshot], own_origin: str) -> Snapshot | None:
    """Which of several origins' snapshots of one unit to show: ours, the unit's own, the newest."""
    if not candidates:
        return None

    def rank(s: Snapshot) -> tuple[int, int, float]:
        moment = s.generated_at.timestamp() if s.generated_at else 0.0
        return (s.origin == own_origin, s.origin == s.unit, moment)

    return max(candidates, key=rank)


def content_matches(snapshot: Snapshot) -> bool:
    """True when the content hash is what the content says (a damaged or forged body fails)."""
    return snapshot.content_hash == snapshot_content_hash(snapshot)
