"""Wire types for self-assessment input, targets, recognitions and progress against target."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from shared_schema.evaluation import UnitEvaluation
from shared_schema.values import Year


class AssessmentEntryIn(msgspec.Struct, forbid_unknown_fields=True):
    """One answer: met (attested), level (entered level) or value (a previous-year measure)."""

    met: bool | None = None
    level: int | None = None
    value: float | None = None
    comment: str = ""
    evidence: list[str] = []


class AssessmentEntry(msgspec.Struct):
    """A stored answer; the newest per indicator is current, older ones are history."""

    id: int
    unit: str
    year: int
    indicator: str
    kind: str
    met: bool | None
    level: int | None
    value: float | None
    comment: str
    evidence: list[str]
    recorded_by: str
    recorded_at: datetime


class AssessmentView(msgspec.Struct):
    """A unit's self-assessment for a year: current answers and the evaluation they give."""

    unit: str
    year: int
    entries: list[AssessmentEntry]
    evaluation: UnitEvaluation | None
    responsible: dict[
        str, str
    ] = {}  # indicator → "chủ trì: …; phối hợp: …" (the checklist shows it)


class TargetIn(msgspec.Struct, forbid_unknown_fields=True):
    """The level and rates (percent) a unit should reach in a year."""

    target_level: int | None = None
    rates: dict[str, float] = {}


class TargetView(msgspec.Struct):
    """A stored target."""

    unit: str
    year: int
    target_level: int | None
    rates: dict[str, float]


class Progress(msgspec.Struct):
    """Actual against target: gaps are target − actual (positive = behind)."""

    target_level: int | None
    level_reached: int
    level_gap: int | None
    rate_gaps: dict[str, float | None]
    behind: bool


class RecognitionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A recognition decision (quyết định công nhận) for a unit and year."""

    year: Year
    level: int
    decision_no: str
    decided_on: date
    signer: str


class Recognition(msgspec.Struct):
    """A stored recognition decision."""

    id: int
    unit: str
    year: int
    level: int
    decision_no: str
    decided_on: date
    signer: str
    recorded_by: str


class RoadmapProblemView(msgspec.Struct):
    """A parent target its children's own targets cannot satisfy."""

    unit: str
    year: int
    target_level: int
    indicator: str
    planned: int
    total: int
    message_vi: str
    message_en: str
    unit_name: str = ""
