"""Merged units (the 2025 reorganisation), pure: whose history a year belongs to, folded once.

Old units keep their history; for a year before the merger took effect, the new unit's line in a
comparison is its predecessors' figures added together (each old unit retired, so none is listed,
or counted, twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Merger:
    """An old unit merged into a new one from a date."""

    old_code: str
    new_code: str
    effective_on: date
    note: str = ""


def predecessors(mergers: Sequence[Merger], unit: str, year: int) -> list[str]:
    """Old units whose figures for a year before their merger count under `unit`."""
    return [m.old_code for m in mergers if m.new_code == unit and year < m.effective_on.year]
