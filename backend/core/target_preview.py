"""A targets/roadmap CSV judged line by line, so a screen can show every row before committing."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field

from backend.core.errors import FieldProblem, InvalidInput
from backend.core.targets import Target, _header_problems, _problem, _row


@dataclass
class PreviewLine:
    """One data line: the target it sets (None when it cannot be read) and its problems."""

    line: int
    unit_code: str
    target: Target | None
    problems: list[FieldProblem] = field(default_factory=list)


def preview_targets_csv(text: str, rate_codes: Collection[str]) -> list[PreviewLine]:
    """Every line with its own problems; a bad header refuses the whole file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    header_problems = _header_problems(header, rate_codes)
    if header_problems:
        raise InvalidInput(
            "targets_csv_invalid",
            "Tệp chỉ tiêu không hợp lệ",
            "The targets file is invalid",
            header_problems,
        )
    lines: list[PreviewLine] = []
    seen: set[tuple[str, int]] = set()
    for number, row in enumerate(reader, start=2):
        problems: list[FieldProblem] = []
        target = _row(number, row, [c for c in header if c in rate_codes], problems)
        if target is not None and (target.unit_code, target.year) in seen:
            problems.append(
                _problem(
                    number,
                    "unit_code",
                    "duplicate",
                    "trùng đơn vị và năm",
                    "same unit and year twice",
                )
            )
        if target is not None:
            seen.add((target.unit_code, target.year))
        lines.append(PreviewLine(number, (row.get("unit_code") or "").strip(), target, problems))
    return lines
