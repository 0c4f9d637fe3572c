"""What the official reports say, built from stored data (pure): rows, results, totals, rates.

The self-assessment report (báo cáo tự đánh giá) and the summary table (bảng tổng hợp kết quả
đánh giá các tiêu chí, chỉ tiêu) follow the appendix tables of the plans: tiêu chí | chỉ tiêu |
kết quả | đánh giá | minh chứng. Renderers in backend.reports only lay this content out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from backend.core.numbers import fmt
from shared_schema.criteria import UnitCriteria
from shared_schema.evaluation import IndicatorResult, UnitEvaluation

VERDICT = {"met": "Đạt", "unmet": "Không đạt", "no_data": "Chưa có số liệu"}
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
UNIT_PREFIXES = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


@dataclass(frozen=True)
class IndicatorLine:
    """One chỉ tiêu row: its full wording, the result found, the verdict and the evidence."""

    code: str
    text: str
    result: str
    verdict: str
    met: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class CriterionBlock:
    """One tiêu chí with its rows; met only when every row is."""

    code: str
    title: str
    met: bool
    lines: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class RateLine:
    """A rate from the summed village tallies."""

    label: str
    numerator: int
    denominator: int
    value: float | None
    unit: str = "%"

    @property
    def shown(self) -> str:
        """'60%', or an amount with its unit ('12.500 đồng/người'), or a dash."""
        if self.unit == "%" or self.value is None:
            return percent(self.value)
        return f"{fmt(self.value, 'vi', 0)} {self.unit}"


@dataclass(frozen=True)
class UnitFacts:
    """Who the report is about."""

    code: str
    name: str
    level_label: str
    parent_name: str
    villages_total: int = 0
    villages_reported: int = 0


@dataclass(frozen=True)
class ReportContent:
    """Everything the report and the summary table print."""

    unit: UnitFacts
    year: int
    level: int
    level_reached: int
    claimed_level: int | None
    recognised_level: int | None
    criteria: tuple[CriterionBlock, ...]
    rates: tuple[RateLine, ...] = field(default=())
    responsible: Mapping[str, str] = field(default_factory=dict)  # indicator → lead/support bodies

    @property
    def lines(self) -> list[IndicatorLine]:
        """Every indicator row in table order."""
        return [line for block in self.criteria for line in block.lines]

    @property
    def indicators_met(self) -> int:
        """How many indicators are met."""
        return sum(1 for line in self.lines if line.met)

    @property
    def criteria_met(self) -> int:
        """How many criteria are met."""
        return sum(1 for block in self.criteria if block.met)

    @property
    def conclusion(self) -> str:
        """The sentence closing the report."""
        name = self.unit.name
        if self.level_reached >= self.level:
            return (
                f"{name} tự đánh giá đạt “Cộng đồng học tập” {self.unit.level_label} "
                f"mức độ {self.level} năm {self.year}."
            )
        return (
            f"{name} chưa đạt “Cộng đồng học tập” {self.unit.level_label} mức độ {self.level} "
            f"năm {self.year}: còn {len(self.lines) - self.indicators_met} chỉ tiêu chưa đạt."
        )


def place_name(name: str) -> str:
    """'Xã Đắk Pék' → 'Đắk Pék' (for 'Đắk Pék, ngày … tháng … năm …')."""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def percent(value: float | None) -> str:
    """A percentage in Vietnamese style, or a dash."""
    return "—" if value is None else f"{fmt(value, 'vi', 1)}%"


def rate_text(value: float | None, numerator: float, denominator: float) -> str:
    """'60% (720/1.200)', or a dash when there is nothing to divide by."""
    if value is None:
        return "—"
    return f"{percent(value)} ({fmt(numerator, 'vi', 0)}/{fmt(denominator, 'vi', 0)})"


def result_text(result: IndicatorResult, comment: str) -> str:
    """The figures or judgement behind a verdict, in Vietnamese."""
    v = result.values
    if result.kind == "computed":
        parts = [
            f"{c.label.vi}: {rate_text(c.value, c.numerator or 0, c.denominator or 0)}, "
            f"yêu cầu {SYMBOLS.get(c.compare, c.compare)} {fmt(c.threshold, 'vi')}%"
            for c in result.checks
        ]
        return "; ".join(parts)
    if result.kind == "entered_level" and v.get("entered_level") is not None:
        return f"Đạt mức độ {v['entered_level']} (yêu cầu mức độ {v['required_level']})"
    if result.kind == "children_share" and v.get("total"):
        return f"{v['count']}/{v['total']} đơn vị ({percent(v.get('share'))})"
    if result.kind == "previous_year" and v.get("current") is not None:
        previous = v.get("previous")
        before = "—" if previous is None else fmt(previous, "vi")
        return f"Năm đánh giá: {fmt(v['current'] or 0, 'vi')}; năm trước: {before}"
    if result.explanation is not None and result.status != "met":
        return comment or result.explanation.vi
    return comment or ("Đã thực hiện" if result.status == "met" else "")


def build_content(
    criteria: UnitCriteria,
    evaluation: UnitEvaluation,
    unit: UnitFacts,
    level: int,
    answers: Mapping[str, tuple[str, Sequence[str]]],
    evidence_names: Mapping[str, str],
    extra_evidence: Mapping[str, Sequence[str]],
    others: tuple[int | None, int | None, Sequence[RateLine]],
) -> ReportContent:
    """The report for one level; answers: code → (comment, cited); extra: uploaded per code."""
    claimed, recognised, rates = others
    spec = criteria.level(level)
    found = next((lv for lv in evaluation.levels if lv.level == level), None)
    results = {i.code: i for c in (found.criteria if found else ()) for i in c.indicators}
    blocks = []
    for criterion in spec.criteria if spec else []:
        lines = []
        for ind in criterion.indicators:
            result = results.get(ind.code)
            comment, cited = answers.get(ind.code, ("", ()))
            names = [evidence_names.get(e, e) for e in cited]
            names += [n for n in extra_evidence.get(ind.code, ()) if n not in names]
            status = result.status if result else "no_data"
            lines.append(
                IndicatorLine(
                    ind.code,
                    ind.text.vi,
                    result_text(result, comment) if result else "",
                    VERDICT[status],
                    status == "met",
                    tuple(names),
                )
            )
        met = all(line.met for line in lines)
        blocks.append(CriterionBlock(criterion.code, criterion.title.vi, met, tuple(lines)))
    return ReportContent(
        unit,
        evaluation.year,
        level,
        evaluation.level_reached,
        claimed,
        recognised,
        tuple(blocks),
        tuple(rates),
    )
