"""Targets (chỉ tiêu) per unit and year: CSV parsing and progress against actual results."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from backend.core.errors import FieldProblem, InvalidInput

FIXED_COLUMNS = ("unit_code", "year", "target_level")
OPTIONAL_COLUMNS = ("unit_name",)


@dataclass(frozen=True)
class Target:
    """What a unit should reach in a year: a level (None = none set) and rates in percent."""

    unit_code: str
    year: int
    target_level: int | None = None
    rates: Mapping[str, float] = field(default_factory=dict)
    unit_name: str = ""


@dataclass(frozen=True)
class Progress:
    """Actual against target; gaps are target − actual (positive = behind), None when unknown."""

    unit_code: str
    year: int
    target_level: int | None
    level_reached: int
    level_gap: int | None
    rate_gaps: Mapping[str, float | None]
    behind: bool


def _problem(row: int, column: str, code: str, vi: str, en: str) -> FieldProblem:
    """A CSV problem located by 1-based line number and column."""
    return FieldProblem(
        f"row {row}.{column}",
        code,
        f"Dòng {row}, cột {column}: {vi}",
        f"Row {row}, column {column}: {en}",
    )


def _number(text: str) -> float:
    """A percentage written 59.9 or 59,9 (Vietnamese decimal comma)."""
    return float(text.strip().replace(",", "."))


def _header_problems(header: list[str], rate_codes: Collection[str]) -> list[FieldProblem]:
    """Missing fixed columns and unknown rate columns."""
    problems = [
        _problem(1, c, "missing_column", "thiếu cột", "column missing")
        for c in FIXED_COLUMNS
        if c not in header
    ]
    known = set(FIXED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(rate_codes)
    problems += [
        _problem(1, c, "unknown_column", "cột không có trong khung", "unknown column")
        for c in header
        if c not in known
    ]
    return problems


def _row(
    line: int, row: dict[str, str], rate_codes: Collection[str], problems: list[FieldProblem]
) -> Target | None:
    """One CSV row as a Target, appending problems instead of raising."""
    before = len(problems)
    code = (row.get("unit_code") or "").strip()
    if not code:
        problems.append(_problem(line, "unit_code", "required", "bắt buộc", "required"))
    year = level = None
    try:
        year = int((row.get("year") or "").strip())
    except ValueError:
        problems.append(_problem(line, "year", "not_integer", "phải là năm", "must be a year"))
    level_text = (row.get("target_level") or "").strip()
    if level_text:
        try:
            level = int(level_text)
            if level < 0:
                raise ValueError(level_text)
        except ValueError:
            problems.append(
                _problem(line, "target_level", "not_level", "mức độ không hợp lệ", "not a level")
            )
    rates: dict[str, float] = {}
    for rate in rate_codes:
        text = (row.get(rate) or "").strip()
        if not text:
            continue
        try:
            rates[rate] = _number(text)
            if not 0 <= rates[rate] <= 100:
                raise ValueError(text)
        except ValueError:
            problems.append(
                _problem(
                    line,
                    rate,
                    "not_percent",
                    "phải là phần trăm 0–100",
                    "must be a percentage 0–100",
                )
            )
    if len(problems) > before or year is None:
        return None
    return Target(code, year, level, rates, (row.get("unit_name") or "").strip())


def parse_targets_csv(text: str, rate_codes: Collection[str]) -> list[Target]:
    """Targets from CSV: unit_code,year,target_level[,unit_name],<rate_code>...; all or none."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    problems = _header_problems(header, rate_codes)
    if problems:
        raise InvalidInput(
            "targets_csv_invalid",
            "Tệp chỉ tiêu không hợp lệ",
            "The targets file is invalid",
            problems,
        )
    targets: list[Target] = []
    seen: set[tuple[str, int]] = set()
    for line, row in enumerate(reader, start=2):
        target = _row(line, row, [c for c in header if c in rate_codes], problems)
        if target is None:
            continue
        if (target.unit_code, target.year) in seen:
            problems.append(
                _problem(
                    line,
                    "unit_code",
                    "duplicate",
                    "trùng đơn vị và năm",
                    "same unit and year twice",
                )
            )
        seen.add((target.unit_code, target.year))
        targets.append(target)
    if problems:
        raise InvalidInput(
            "targets_csv_invalid",
            "Tệp chỉ tiêu không hợp lệ",
            "The targets file is invalid",
            problems,
        )
    return targets


def progress(target: Target, level_reached: int, rates: Mapping[str, float | None]) -> Progress:
    """Gap in levels and in rate points (target − actual) for one unit and year."""
    level_gap = None if target.target_level is None else target.target_level - level_reached
    gaps: dict[str, float | None] = {}
    for code, wanted in target.rates.items():
        actual = rates.get(code)
        gaps[code] = None if actual is None else round(wanted - actual, 2)
    behind = (level_gap is not None and level_gap > 0) or any(
        g is None or g > 0 for g in gaps.values()
    )
    return Progress(
        target.unit_code, target.year, target.target_level, level_reached, level_gap, gaps, behind
    )
