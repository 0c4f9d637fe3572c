"""The "Cộng đồng học tập" criteria model (Thông tư 25/2023/TT-BGDĐT) as data.

A unit level (commune, district, province) has levels (mức độ); each level lists its criteria
(tiêu chí) and their indicators (chỉ tiêu) in full, as the regulation's tables do. An indicator
is one of five generic kinds, told apart by its `kind` tag; computed indicators carry a small
structured formula over summed tally fields (never code, never eval).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from shared_schema.text import Text

Comparison = Literal[">=", ">", "<=", "<", "=="]
INDICATOR_KINDS = ("attested", "computed", "entered_level", "children_share", "previous_year")


class ExprBase(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="op"):
    """Base of formula nodes; the `op` key names the node type in YAML."""


class FieldRef(ExprBase, frozen=True, tag="field"):
    """The summed value of one tally field (or a derived key such as village_count)."""

    code: str


class Constant(ExprBase, frozen=True, tag="constant"):
    """A fixed number."""

    value: float


class Sum(ExprBase, frozen=True, tag="sum"):
    """The sum of several terms."""

    terms: list[Expr]


class Ratio(ExprBase, frozen=True, tag="ratio"):
    """numerator / denominator × scale (100 = percentage); no data when the denominator is 0."""

    numerator: Expr
    denominator: Expr
    scale: float = 100.0


Expr = FieldRef | Constant | Sum | Ratio


class Check(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One comparison of a formula's value with a threshold, e.g. learning citizens ≥ 60%."""

    label: Text
    value: Expr
    threshold: float
    compare: Comparison = ">="
    unit: str = "%"


class IndicatorBase(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, tag_field="kind"
):
    """Fields every indicator has: its code within the level, wording, short name and source."""

    code: str
    text: Text
    short: Text
    source: str
    note: str | None = None


class AttestedIndicator(IndicatorBase, frozen=True, tag="attested"):
    """A yes/no judgement by the assessing unit, backed by evidence documents (minh chứng)."""

    evidence_required: bool = True


class ComputedIndicator(IndicatorBase, frozen=True, tag="computed"):
    """Met when every check holds on the unit's summed tallies."""

    checks: list[Check]


class EnteredLevelIndicator(IndicatorBase, frozen=True, tag="entered_level"):
    """A level reached in another system (PCGD–XMC, Nghị định 20/2014) must be ≥ required_level."""

    scale: Text
    required_level: int


class ChildrenShareIndicator(IndicatorBase, frozen=True, tag="children_share"):
    """At least min_share % of child units recognised at child_min_level or higher."""

    child_label: Text
    child_min_level: int
    min_share: float


class PreviousYearIndicator(IndicatorBase, frozen=True, tag="previous_year"):
    """A measure (income per head, employment rate) compared with the previous year's value."""

    measure: str
    measure_label: Text
    compare: Comparison = ">"


Indicator = (
    AttestedIndicator
    | ComputedIndicator
    | EnteredLevelIndicator
    | ChildrenShareIndicator
    | PreviousYearIndicator
)


class Criterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A tiêu chí with its chỉ tiêu."""

    code: str
    title: Text
    indicators: list[Indicator]


class CriteriaLevel(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One mức độ: the full list of criteria a unit must meet at that level."""

    level: int
    label: Text
    criteria: list[Criterion]

    def indicators(self) -> list[tuple[Criterion, Indicator]]:
        """Every indicator of the level with its criterion, in table order."""
        return [(c, i) for c in self.criteria for i in c.indicators]


class UnitCriteria(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The criteria of one unit level; levels are cumulative (level 2 needs level 1 met too)."""

    label: Text
    levels: list[CriteriaLevel]
    recogniser: Text | None = None

    def level(self, number: int) -> CriteriaLevel | None:
        """The level with this number, if defined."""
        return next((lv for lv in self.levels if lv.level == number), None)

    def max_level(self) -> int:
        """The highest level defined (0 when none)."""
        return max((lv.level for lv in self.levels), default=0)
