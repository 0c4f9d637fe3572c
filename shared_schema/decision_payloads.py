"""The payload each kind of decision carries down the federation, one typed Struct per kind."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from shared_schema.sync import Decision


class RecognitionPayload(msgspec.Struct, forbid_unknown_fields=True):
    """A recognition (quyết định công nhận): level, decision number, date and signer."""

    level: int
    decision_no: str
    decided_on: date
    signer: str


class TargetPayload(msgspec.Struct, forbid_unknown_fields=True):
    """A target (chỉ tiêu): the level and rates (percent) a unit should reach in the year."""

    target_level: int | None = None
    rates: dict[str, float] = {}


class FrameworkVersionPayload(msgspec.Struct, forbid_unknown_fields=True):
    """A framework version announced to the nodes below."""

    version: str = ""


class UnitMovePayload(msgspec.Struct, forbid_unknown_fields=True):
    """A unit re-parented at the node that holds both its old and its new parent."""

    parent: str
    previous_parent: str = ""


DecisionPayload = RecognitionPayload | TargetPayload | FrameworkVersionPayload | UnitMovePayload

PAYLOAD_BY_KIND: dict[str, type[DecisionPayload]] = {
    "recognition": RecognitionPayload,
    "target": TargetPayload,
    "framework_version": FrameworkVersionPayload,
    "unit_move": UnitMovePayload,
}


def parse_payload(kind: str, payload: dict[str, Any]) -> DecisionPayload:
    """The typed payload of a known kind; KeyError for an unknown kind, ValueError for a bad one."""
    shape = PAYLOAD_BY_KIND[kind]
    try:
        return msgspec.convert(payload, shape)
    except msgspec.ValidationError as exc:
        raise ValueError(str(exc)) from exc


class QuarantinedDecision(msgspec.Struct):
    """A decision from the parent this node could not apply: kept, with why, for the operator."""

    decision: Decision
    reason: str
    attempts: int
    quarantined_at: datetime
    last_attempt_at: datetime


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """A decision as JSON-ready builtins (for storage)."""
    result: dict[str, Any] = msgspec.to_builtins(decision)
    return result


def decision_from_dict(data: Any) -> Decision:
    """A stored decision back as the Struct."""
    return msgspec.convert(data, Decision, strict=False)
