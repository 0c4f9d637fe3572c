"""Range checks on a received snapshot: what a child may claim about a unit and year."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from backend.core import sync_errors
from backend.core.errors import DomainError
from backend.core.tally_validation import MAX_COUNT
from shared_schema.framework import Framework
from shared_schema.sync import Snapshot

MAX_REVISION = 2**63 - 1  # the column is a signed 64-bit integer
REVISION_AHEAD_MS = 24 * 3600 * 1000  # a revision is a time in ms: at most a day ahead of ours


def year_window(framework: Framework, now: datetime) -> tuple[int, int]:
    """Years the framework covers: from its first year to its last (or next year)."""
    return framework.valid_from_year, framework.valid_to_year or now.year + 1


def field_limit(framework: Framework, code: str, units: int) -> int:
    """The largest total a field can reach over `units` villages."""
    spec = next((f for f in framework.tally.fields if f.code == code), None)
    per_village = spec.maximum if spec is not None and spec.maximum is not None else MAX_COUNT
    return per_village * max(units, 1)


def village_bound(framework: Framework, counts: Mapping[str, int]) -> int | None:
    """Most villages a subtree can hold, from its units at levels with a village maximum (at
    least one such unit's worth); None when the framework sets no maximum."""
    bounded = {lvl.code: lvl.max_villages for lvl in framework.unit_levels if lvl.max_villages}
    if not bounded:
        return None
    return max(sum(counts.get(code, 0) * most for code, most in bounded.items()), *bounded.values())


def plausible_villages(snapshot: Snapshot, bound: int | None) -> int:
    """Villages a snapshot may count where the parent keeps none (a national node holds
    provinces and communes only): what it claims, within the bound of its units."""
    claimed = snapshot.completeness.villages_total
    return claimed if bound is None else min(claimed, bound)


def out_of_range(
    framework: Framework, snapshot: Snapshot, villages: int, now: datetime
) -> DomainError | None:
    """The first value out of range, or None: years, revision, totals and counters."""
    first, last = year_window(framework, now)
    if not first <= snapshot.year <= last:
        return sync_errors.value_out_of_range("year", snapshot.year, first, last)
    highest = min(MAX_REVISION, int(now.timestamp() * 1000) + REVISION_AHEAD_MS)
    if not 0 <= snapshot.revision <= highest:
        return sync_errors.value_out_of_range("revision", snapshot.revision, 0, highest)
    for code, value in snapshot.totals.items():
        limit = field_limit(framework, code, villages)
        if not 0 <= value <= limit:
            return sync_errors.value_out_of_range(f"totals.{code}", value, 0, limit)
    for name, value in _counters(snapshot):
        limit = MAX_COUNT * max(villages, 1)
        if not 0 <= value <= limit:
            return sync_errors.value_out_of_range(name, value, 0, limit)
    return None


def _counters(snapshot: Snapshot) -> Iterator[tuple[str, int]]:
    """Completeness counters and rate terms, which are never negative."""
    c = snapshot.completeness
    for name in c.__struct_fields__:
        yield f"completeness.{name}", getattr(c, name)
    for rate in snapshot.rates:
        yield f"rates.{rate.code}.numerator", rate.numerator
        yield f"rates.{rate.code}.denominator", rate.denominator
