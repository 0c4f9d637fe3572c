"""Plans by period (pure): targets at a period's end against a baseline year, and progress.

Seed 001 plans 2021–2025 and 2026–2030 against 2020's results: progress is measured against the
period's end and against the straight line from the baseline to the target.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from backend.core.errors import FieldProblem, InvalidInput

FIXED_COLUMNS = ("unit_code", "period", "baseline_year", "end_year")


@dataclass(frozen=True)
class PeriodPlan:
    """Targets (percent, by rate code) a unit plans to reach by end_year, from baseline_year."""

    unit_code: str
    code: str
    baseline_year: int
    end_year: int
    targets: dict[str, float]
    note: str = ""


@dataclass(frozen=True)
class TargetProgress:
    """One target: baseline, actual, where the straight path stands, and the gaps."""

    code: str
    target: float
    baseline: float | None
    actual: float | None
    on_path: float | None
    gap_to_target: float | None
    gap_to_path: float | None
    behind: bool


def check_plan(plan: PeriodPlan, rate_codes: Mapping[str, str]) -> None:
    """Known codes (code → unit), percentages 0–100, a baseline before the period's end."""
    unknown = sorted(set(plan.targets) - set(rate_codes))
    if unknown:
        raise InvalidInput(
            "target_rate_unknown",
            f"Tỷ lệ không có trong khung: {unknown}",
            f"Rates not in the framework: {unknown}",
        )
    if any(v < 0 or (rate_codes[c] == "%" and v > 100) for c, v in plan.targets.items()):
        raise InvalidInput(
            "target_rate_range",
            "Chỉ tiêu tỷ lệ phải từ 0 đến 100",
            "Target rates must be between 0 and 100",
        )
    if not plan.baseline_year < plan.end_year or not plan.code.strip():
        raise InvalidInput(
            "plan_period_invalid",
            "Giai đoạn cần mã và năm gốc trước năm cuối giai đoạn",
            "A period needs a code and a baseline year before its end year",
        )


def on_path(baseline: float, target: float, baseline_year: int, end_year: int, year: int) -> float:
    """Where a straight line from the baseline to the target stands in a year (clamped)."""
    elapsed = min(max(year, baseline_year), end_year) - baseline_year
    return round(baseline + (target - baseline) * elapsed / (end_year - baseline_year), 2)


def progress(
    plan: PeriodPlan, code: str, baseline: float | None, actual: float | None, year: int
) -> TargetProgress:
    """A target's progress in a year; without a baseline there is no path, only the end."""
    target = plan.targets[code]
    path = (
        None
        if baseline is None
        else on_path(baseline, target, plan.baseline_year, plan.end_year, year)
    )
    to_target = None if actual is None else round(target - actual, 2)
    to_path = None if actual is None or path is None else round(path - actual, 2)
    behind = actual is None or (to_path is not None and to_path > 0)
    return TargetProgress(code, target, baseline, actual, path, to_target, to_path, behind)


def _problem(line: int, column: str, vi: str, en: str) -> FieldProblem:
    """A located problem of the plans CSV."""
    return FieldProblem(
        f"row {line}.{column}",
        "invalid",
        f"Dòng {line}, cột {column}: {vi}",
        f"Row {line}, column {column}: {en}",
    )


def parse_plans_csv(text: str, rate_codes: Mapping[str, str]) -> list[PeriodPlan]:
    """Rows unit_code,period,baseline_year,end_year,<rate codes>… (blank = no target)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    problems = [
        _problem(1, c, "cột không có trong khung", "unknown column")
        for c in header
        if c not in FIXED_COLUMNS and c not in rate_codes and c not in ("unit_name", "note")
    ]
    plans = []
    for line, row in enumerate(reader, start=2):
        try:
            targets = {
                c: float(row[c].replace(",", "."))
                for c in header
                if c in rate_codes and row[c].strip()
            }
            plan = PeriodPlan(
                row["unit_code"].strip(),
                row["period"].strip(),
                int(row["baseline_year"]),
                int(row["end_year"]),
                targets,
                (row.get("note") or "").strip(),
            )
            check_plan(plan, rate_codes)
        except InvalidInput as exc:
            problems.append(_problem(line, "row", exc.message_vi, exc.message_en))
            continue
        except (KeyError, ValueError, AttributeError):
            problems.append(
                _problem(
                    line,
                    "row",
                    "thiếu cột hoặc số không hợp lệ",
                    "a column is missing or a number is not valid",
                )
            )
            continue
        plans.append(plan)
    if problems:
        raise InvalidInput(
            "plans_csv_invalid",
            "Tệp kế hoạch giai đoạn không hợp lệ",
            "The period plans file is invalid",
            problems,
        )
    return plans
