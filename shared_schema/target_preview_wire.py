"""Wire types of the targets/roadmap preview: each row with its errors, and the roadmap warnings."""

from __future__ import annotations

import msgspec

from shared_schema.assessment_wire import RoadmapProblemView
from shared_schema.wire import FieldError


class TargetPreviewRow(msgspec.Struct):
    """One CSV row as it would be stored, or why it cannot be."""

    line: int
    unit_code: str
    unit_name: str = ""
    year: int | None = None
    target_level: int | None = None
    rates: dict[str, float] = {}
    errors: list[FieldError] = []


class TargetsPreview(msgspec.Struct):
    """Rows judged and the roadmap warnings the file would give once stored."""

    rows: list[TargetPreviewRow]
    valid: int
    invalid: int
    warnings: list[RoadmapProblemView]
