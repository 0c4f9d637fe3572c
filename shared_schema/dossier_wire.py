"""Wire types for evidence files, recognition dossiers, timeliness and recognition decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from shared_schema.assessment_wire import AssessmentEntry, Recognition
from shared_schema.evaluation import UnitEvaluation
from shared_schema.text import Text

TimelinessStatus = Literal["on_time", "late", "missing", "not_due"]


class EvidenceMeta(msgspec.Struct):
    """An uploaded evidence file (minh chứng); answers cite it by id in `evidence`."""

    id: str
    unit: str
    year: int
    indicator: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class DossierSubmitIn(msgspec.Struct, forbid_unknown_fields=True):
    """The unit's officer submits; the claimed level defaults to the computed one."""

    claimed_level: int | None = None
    note: str = ""


class DossierReturnIn(msgspec.Struct, forbid_unknown_fields=True):
    """The recogniser returns the dossier with the reason the unit must address."""

    reason: str


class DossierRecogniseIn(msgspec.Struct, forbid_unknown_fields=True):
    """The recognition decision (quyết định công nhận) closing the dossier."""

    level: int
    decision_no: str
    decided_on: date
    signer: str


class DossierSnapshot(msgspec.Struct):
    """What the unit submitted, frozen at submission: evaluation, claim, answers and evidence."""

    taken_at: datetime
    claimed_level: int
    evaluation: UnitEvaluation
    answers: list[AssessmentEntry]
    evidence: list[EvidenceMeta]
    totals: dict[str, int]
    note: str = ""


class DossierEvent(msgspec.Struct):
    """One transition, read back from the audit log."""

    at: datetime
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str = ""


class Dossier(msgspec.Struct):
    """A unit's recognition dossier for one year and where it stands."""

    unit: str
    year: int
    status: str
    status_label: Text
    recogniser: str | None
    claimed_level: int | None = None
    level_reached: int | None = None
    first_submitted_at: datetime | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    return_reason: str | None = None
    recognition: Recognition | None = None
    snapshot: DossierSnapshot | None = None
    history: list[DossierEvent] = []


class TimelinessItem(msgspec.Struct):
    """One tracked submission against its deadline (strictly before it unless inclusive)."""

    step: str
    tracks: str
    label: Text
    deadline: date
    status: TimelinessStatus
    submitted_at: datetime | None = None


class RecognitionDecision(msgspec.Struct, frozen=True):
    """A recognition decision as published to the units below (the federation decisions feed)."""

    recognition_id: int
    unit: str
    unit_name: str
    unit_level: str
    year: int
    level: int
    claimed_level: int | None
    decision_no: str
    decided_on: date
    signer: str
    recogniser: str
    recorded_by: str
    recorded_at: datetime
    framework_id: str
    framework_version: str
