"""Wire contract shared by nodes and the PWA: JSON, snake_case, new fields always defaulted."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from shared_schema.assessment_wire import Progress, TargetView
from shared_schema.dossier_wire import TimelinessItem
from shared_schema.evaluation import UnitEvaluation
from shared_schema.values import DeviceId, UnitCode, UnitName, Year


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details with a stable code and Vietnamese and English messages."""

    type: str
    title: str
    status: int
    code: str
    detail: str = ""
    message_vi: str = ""
    message_en: str = ""
    errors: list[FieldError] = []
    instance: str | None = None
    request_id: str | None = None  # the X-Request-ID of the answer, to find it in the node's log


class FieldError(msgspec.Struct, omit_defaults=True):
    """One bad field of a submitted body."""

    field: str
    code: str
    message_vi: str
    message_en: str


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Username and password; device_id binds the refresh token to one phone or browser."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]
    device_id: DeviceId


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A refresh token is exchanged, once, for a new pair."""

    refresh_token: Annotated[str, msgspec.Meta(max_length=200)]
    device_id: DeviceId


class TokenPair(msgspec.Struct):
    """Short-lived access token and a long-lived, rotating device refresh token."""

    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    refresh_expires_in: int
    user: UserInfo


class UserInfo(msgspec.Struct):
    """Who is logged in and where they may act."""

    username: str
    role: str
    unit: str
    unit_name: str
    unit_level: str


class TallySubmission(msgspec.Struct, forbid_unknown_fields=True):
    """A village's yearly tally; client_uuid is made on the phone when the record is created."""

    client_uuid: UUID
    village: str
    year: Year
    values: dict[str, Any]
    framework_version: Annotated[str, msgspec.Meta(max_length=32)] = ""


class TallyReceipt(msgspec.Struct):
    """What the node stored; identical for every retry of the same client_uuid."""

    id: int
    client_uuid: UUID
    village: str
    year: int
    revision: int
    status: str
    content_hash: str
    received_at: datetime
    flags: list[TallyFlag] = []


class TallyFlag(msgspec.Struct):
    """A value accepted but worth a second look by the commune officer."""

    field: str
    code: str
    message_vi: str
    message_en: str
    previous: int | None = None
    current: int | None = None


class Tally(msgspec.Struct):
    """A stored tally revision as officers and the PWA read it."""

    id: int
    client_uuid: UUID
    village: str
    village_name: str
    year: int
    revision: int
    status: str
    values: dict[str, int]
    flags: list[TallyFlag]
    submitted_by: str
    received_at: datetime
    review_reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


class TallyReview(msgspec.Struct, forbid_unknown_fields=True):
    """A commune officer confirms a tally or returns it with a reason."""

    action: str  # confirm | return
    reason: str = ""


class UnitIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new child unit (a village created by its commune officer)."""

    code: UnitCode
    name: UnitName
    level: str = "village"
    parent_code: str = ""


class UnitPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Rename or retire a unit."""

    name: UnitName | None = None
    retired: bool | None = None


class Unit(msgspec.Struct):
    """An administrative unit this node knows."""

    code: str
    name: str
    level: str
    parent_code: str | None
    retired: bool


class RateValue(msgspec.Struct):
    """A rate computed from summed counts, with the counts used."""

    code: str
    numerator: int
    denominator: int
    value: float | None
    label_vi: str
    label_en: str


class Completeness(msgspec.Struct):
    """How many villages below a unit have reported."""

    villages_total: int
    villages_reported: int
    villages_confirmed: int
    children_total: int = 0
    children_reported: int = 0


class UnitStatus(msgspec.Struct):
    """Summed tallies and rates for one unit and year."""

    unit: Unit
    year: int
    totals: dict[str, int]
    rates: list[RateValue]
    completeness: Completeness
    framework_version: str
    extra: dict[str, Any] = {}
    evaluation: UnitEvaluation | None = None
    target: TargetView | None = None
    progress: Progress | None = None
    recognized_level: int | None = None
    claimed_level: int | None = None
    dossier_status: str | None = None
    timeliness: list[TimelinessItem] = []
    level_reached: int | None = None  # also for units whose criteria are evaluated at their node
    max_level: int | None = None
    origin: str = ""  # the node whose snapshot the figures come from
    revision: int = 0
    synced_at: datetime | None = None
