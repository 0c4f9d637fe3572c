"""The framework data model: what a province may change without touching code."""

from __future__ import annotations

import msgspec

from shared_schema.bodies import Responsibilities
from shared_schema.calendar import Calendar as Calendar
from shared_schema.criteria import UnitCriteria as UnitCriteria
from shared_schema.standards import StandardsSpec
from shared_schema.text import Text as Text
from shared_schema.values import YearWindow


class TallyField(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One whole-number field of the village tally form."""

    code: str
    label: Text
    required: bool = True
    kind: str = "count"  # count | yes_no | money
    group: str = "general"
    help: Text | None = None
    maximum: int | None = None


class FieldGroup(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A section of the form that groups related fields."""

    code: str
    label: Text


class OrderRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A chain of fields that must not decrease: smaller ≤ larger ≤ ..."""

    code: str
    chain: list[str]
    message: Text


class JumpFlag(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Flag (not reject) a value far from the same village's previous year."""

    ratio: float = 10.0
    minimum_previous: int = 5
    message: Text = Text(
        vi="Số liệu chênh lệch lớn so với năm trước, cần kiểm tra lại",
        en="Figure differs greatly from last year; please check",
    )


class Rate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """sum(numerator) / sum(denominator) × scale from summed tallies (a percentage by default)."""

    code: str
    label: Text
    numerator: list[str]
    denominator: list[str]
    scale: float = 100.0
    unit: str = "%"  # "%" or an amount per person such as "đồng/người"
    source: str = ""


class TallySpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The village tally: its fields, consistency rules and roll-up policy."""

    groups: list[FieldGroup]
    fields: list[TallyField]
    order_rules: list[OrderRule] = []
    jump_flag: JumpFlag = JumpFlag()
    rollup_statuses: list[str] = msgspec.field(default_factory=lambda: ["submitted", "confirmed"])
    rates: list[Rate] = []


class UnitLevel(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An administrative level (tỉnh, huyện, xã, thôn) and its rank from the top."""

    code: str
    rank: int
    label: Text
    # Most villages one unit of this level can hold: bounds what a node that keeps no villages
    # (a national node) accepts as a child's village count.
    max_villages: int | None = None


class Hierarchy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Which levels a federation uses, top to bottom."""

    code: str
    label: Text
    levels: list[str]
    recognised_by: dict[str, str] = {}  # unit level → level of the ancestor that recognises it


class Framework(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A versioned framework: everything specific to the programme, as data."""

    id: str
    version: str
    title: Text
    valid_from_year: int
    valid_to_year: int | None
    unit_levels: list[UnitLevel]
    hierarchies: list[Hierarchy]
    tally: TallySpec
    criteria: dict[str, UnitCriteria] = {}
    calendar: Calendar = Calendar()
    recognition_valid_years: int = 1  # a recognition counts for the year decided (and later ones)
    standards: StandardsSpec = StandardsSpec()
    responsibilities: dict[str, Responsibilities] = {}  # by unit level: who gathers what
    extends: str | None = None
    applies_to: str | None = None
    reporting_years: YearWindow = YearWindow(2020, 2035)
    previous_versions: list[str] = []

    def knows_version(self, version: str) -> bool:
        """A tally may name this version (the one in force or an earlier one still accepted)."""
        return version == self.version or version in self.previous_versions

    def field_codes(self) -> list[str]:
        """Tally field codes in form order."""
        return [f.code for f in self.tally.fields]

    def level(self, code: str) -> UnitLevel | None:
        """The unit level with this code, if the framework knows it."""
        return next((lv for lv in self.unit_levels if lv.code == code), None)

    def hierarchy(self, code: str) -> Hierarchy | None:
        """The hierarchy with this code, if the framework knows it."""
        return next((h for h in self.hierarchies if h.code == code), None)

    def criteria_for(self, unit_level: str) -> UnitCriteria | None:
        """The "Cộng đồng học tập" criteria of a unit level, if the framework assesses it."""
        return self.criteria.get(unit_level)
