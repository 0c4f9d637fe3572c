"""Unit-level standards counted across communes: universal education, literacy, recognition.

Each commune holds a level of each standard per year (phổ cập giáo dục mầm non trẻ 5 tuổi 0–1,
tiểu học and THCS 1–3, xóa mù chữ 1–2; 0 = not reached). Districts and provinces plan and report
the share of their communes at a level or above (seed 001's targets and appendices), so every node
rolls the levels up as counts, and the shares are rates over those counts.
"""

from __future__ import annotations

import msgspec

from shared_schema.text import Text

UNITS_KEY = "units"  # totals key suffix: communes with a level of this standard


class UnitStandard(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A standard a commune reaches at a level on a scale 0..max_level (0 = not reached)."""

    code: str
    label: Text
    max_level: int
    source: str
    share_label: Text  # "{level}" is replaced by the level
    # where a commune's level comes from: entered (by the commune or imported) | recognition
    origin: str = "entered"
    indicator: str | None = None  # the commune self-assessment indicator that takes this level
    level_names: dict[str, Text] = {}  # names of levels where the documents give them ("Đạt")

    def level_name(self, level: int) -> Text:
        """'Mức độ 2' or the standard's own name of the level."""
        return self.level_names.get(str(level)) or Text(f"Mức độ {level}", f"Level {level}")


class StandardsSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The standards, and the unit level whose units are counted in the shares."""

    counted_level: str = "commune"
    items: list[UnitStandard] = []

    def get(self, code: str) -> UnitStandard | None:
        """The standard with this code, if declared."""
        return next((s for s in self.items if s.code == code), None)

    def entered(self) -> list[UnitStandard]:
        """Standards whose levels are entered or imported (not taken from recognitions)."""
        return [s for s in self.items if s.origin == "entered"]


def count_key(standard: str, level: int | str) -> str:
    """Totals key: communes at this level or above ('standard.literacy.2'), or counted ('units')."""
    return f"standard.{standard}.{level}"


def share_code(standard: str, level: int) -> str:
    """The rate code of the share of communes at a level or above: 'literacy_level_2_share'."""
    return f"{standard}_level_{level}_share"


def count_keys(spec: StandardsSpec) -> set[str]:
    """Every totals key the standards add (so checks accept them beside the tally fields)."""
    return {
        count_key(s.code, level)
        for s in spec.items
        for level in [UNITS_KEY, *range(1, s.max_level + 1)]
    }
