"""The summary of every unit below a district or province (pure): levels, rates, dossiers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TIMELINESS_VI = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "missing": "Chưa nộp",
    "not_due": "Chưa đến hạn",
}


@dataclass(frozen=True)
class UnitSummaryRow:
    """One unit: its computed, claimed and recognised levels, rates and dossier."""

    code: str
    name: str
    level_label: str
    villages_total: int
    villages_reported: int
    rates: tuple[float | None, ...]
    level_reached: int
    claimed_level: int | None
    recognised_level: int | None
    dossier: str
    timeliness: str


@dataclass(frozen=True)
class UnitsSummary:
    """All units below one unit for a year."""

    unit_name: str
    year: int
    rate_labels: tuple[str, ...]
    rows: tuple[UnitSummaryRow, ...]
    overall_rates: tuple[float | None, ...]
    standards: tuple[Any, ...] = field(default=())  # LevelCountView rows of the communes below
    rate_units: tuple[str, ...] = field(default=())  # "%" or e.g. "đồng/người", per rate

    def count(self, attribute: str, level: int = 1) -> int:
        """How many units have this level attribute at or above `level`."""
        return sum(1 for r in self.rows if (getattr(r, attribute) or 0) >= level)

    def share(self, attribute: str, level: int = 1) -> float | None:
        """The percentage of units with this level attribute at or above `level`."""
        return 100 * self.count(attribute, level) / len(self.rows) if self.rows else None
