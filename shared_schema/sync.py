"""Wire contract between nodes: snapshots going up, decisions coming down, enrollment."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import msgspec

from shared_schema.values import Year

SNAPSHOT_CONTENT_FIELDS = (
    "unit",
    "year",
    "level",
    "parent",
    "totals",
    "rates",
    "completeness",
    "framework_version",
    "last_reported_at",
    "evaluation",
)


class SnapshotRate(msgspec.Struct, gc=False):
    """A rate over the summed counts of a unit (labels live in the framework)."""

    code: str
    numerator: int = 0
    denominator: int = 0
    value: float | None = None


class SnapshotCompleteness(msgspec.Struct, gc=False):
    """How much of the unit has reported: villages, and direct child units."""

    villages_total: int = 0
    villages_reported: int = 0
    villages_confirmed: int = 0
    children_total: int = 0
    children_reported: int = 0


class Snapshot(msgspec.Struct, gc=False):
    """Full state of one (unit, year) built by its origin node; revisions grow per origin."""

    origin: str
    unit: str
    year: int
    revision: int = 0
    content_hash: str = ""
    level: str = ""
    parent: str = ""
    totals: dict[str, int] = {}
    rates: list[SnapshotRate] = []
    completeness: SnapshotCompleteness = msgspec.field(default_factory=SnapshotCompleteness)
    framework_version: str = ""
    last_reported_at: datetime | None = None
    generated_at: datetime | None = None
    evaluation: dict[str, Any] = {}  # filled by the criteria evaluator: level reached, indicators


class SnapshotPush(msgspec.Struct):
    """Claims of the signed JWT a child pushes (iss = child unit, aud = parent unit)."""

    iss: str
    aud: str
    exp: int
    jti: str
    iat: int = 0
    snapshots: list[Snapshot] = []


class NodeClaims(msgspec.Struct):
    """Claims every node-signed request carries (a decision pull has nothing more)."""

    iss: str
    aud: str
    exp: int
    jti: str
    iat: int = 0


class UncheckedPush(msgspec.Struct):
    """A verified push whose snapshots are still to be judged one by one."""

    iss: str
    aud: str
    exp: int
    jti: str
    iat: int = 0
    snapshots: list[Any] = []


class PushVerdict(msgspec.Struct):
    """The parent's verdict on one snapshot of a push (`index` is its place in the push)."""

    index: int
    verdict: str  # accepted | unchanged | refused
    origin: str = ""
    unit: str = ""
    year: int = 0
    revision: int = 0
    code: str = ""  # the problem code of a refusal
    message_vi: str = ""
    message_en: str = ""


class PushAck(msgspec.Struct):
    """The parent's answer: counts, and a verdict per snapshot (older parents send none)."""

    accepted: int
    unchanged: int
    received_at: datetime
    refused: int = 0
    items: list[PushVerdict] = []


class EnrollRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A child registers its public key for its unit with a one-time token from the parent."""

    token: str
    unit: str
    public_key: str  # PEM (SubjectPublicKeyInfo) of an Ed25519 key
    url: str = ""  # where the child can be reached, informational


class EnrollResponse(msgspec.Struct):
    """The parent's identity, for the child's settings."""

    parent_unit: str
    child_unit: str
    enrolled_at: datetime


class EnrollTokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    """An admin asks for a one-time enrollment token for a unit below the node."""

    unit: str
    valid_hours: int = 72


class EnrollToken(msgspec.Struct):
    """A one-time token, shown once."""

    token: str
    unit: str
    expires_at: datetime


class KeyRotation(msgspec.Struct):
    """Claims of a rotation request, signed with the child's current key."""

    iss: str
    aud: str
    exp: int
    jti: str
    new_public_key: str
    iat: int = 0


class MoveRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Re-parent a unit (communes merged or moved, districts abolished)."""

    parent: str


class ChildNode(msgspec.Struct):
    """An enrolled child node as the parent sees it."""

    unit: str
    unit_name: str
    enrolled_at: datetime
    revoked_at: datetime | None = None
    last_push_at: datetime | None = None
    url: str = ""


class NodeInfo(msgspec.Struct):
    """Public facts about a node (its unit), for children that need the audience."""

    unit: str
    unit_name: str = ""
    level: str = ""


class Decision(msgspec.Struct):
    """A decision travelling down: recognition, target or framework version for a unit and year."""

    uid: str
    kind: str  # recognition | target | framework_version | unit_move
    unit: str
    year: int
    payload: dict[str, Any] = {}
    origin: str = ""  # the issuer's unit
    issued_at: datetime | None = None
    id: int = 0  # the cursor position at the node that serves it
    issued_by: str = ""  # the issuer's username, at the node where it was issued


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A decision issued at this node by an authorised officer."""

    kind: str
    unit: str
    year: Year
    payload: dict[str, Any] = {}


class DecisionPage(msgspec.Struct):
    """Decisions after a cursor, and the cursor to ask from next time."""

    decisions: list[Decision]
    cursor: int


class FederationRow(msgspec.Struct):
    """One unit's line in the federation view."""

    unit: str
    unit_name: str
    level: str
    parent: str
    year: int
    reported: bool = False
    villages_total: int = 0
    villages_reported: int = 0
    children_total: int = 0
    children_reported: int = 0
    completeness: float | None = None
    rates: dict[str, float | None] = {}
    totals: dict[str, int] = {}
    origin: str = ""
    revision: int = 0
    last_sync_at: datetime | None = None
    staleness_seconds: int | None = None
    last_reported_at: datetime | None = None
    timeliness: str = "missing"  # on_time | late | missing
    evaluation: dict[str, Any] = {}


def snapshot_content_hash(snapshot: Snapshot) -> str:
    """SHA-256 of the canonical JSON of what a snapshot says (not who built it or when)."""
    content = {name: getattr(snapshot, name) for name in SNAPSHOT_CONTENT_FIELDS}
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    """JSON-ready dict (for storage columns and JWT claims)."""
    result: dict[str, Any] = msgspec.to_builtins(snapshot)
    return result


def snapshot_from_dict(data: Any) -> Snapshot:
    """Back from a stored or received dict."""
    return msgspec.convert(data, Snapshot, dec_hook=None, strict=False)


_SNAPSHOT_JSON = msgspec.json.Decoder(Snapshot, strict=False)


def snapshot_from_json(text: str | bytes) -> Snapshot:
    """Straight from stored JSON text (no dict in between: several times faster for big reads)."""
    return _SNAPSHOT_JSON.decode(text)


class RelayHealth(msgspec.Struct):
    """Who runs the node's relay and rebuilder, and how the link to the parent fares."""

    holder: str = ""  # host:pid of the process holding the node's singleton lock
    holder_since: datetime | None = None
    held_here: bool = False  # the process answering is the holder
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None
    link_failures: int = 0
    next_attempt_at: datetime | None = None
    clock_offset_seconds: float | None = None  # parent's clock minus ours, when it was off


class QueueHealth(msgspec.Struct):
    """Items waiting their turn, and items waiting for the operator."""

    pending: int = 0
    quarantined: int = 0


class NodeHealth(msgspec.Struct):
    """`GET /health`: alive, plus the sync picture an operator checks first."""

    status: str
    relay: RelayHealth = msgspec.field(default_factory=RelayHealth)
    outbox: QueueHealth = msgspec.field(default_factory=QueueHealth)
    rebuilds: QueueHealth = msgspec.field(default_factory=QueueHealth)
    decisions_quarantined: int = 0
