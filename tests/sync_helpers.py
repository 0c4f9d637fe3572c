"""Helpers for sync tests: child keys, enrollment on a test node, signed snapshot pushes."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend.core.snapshots import UnitFacts, VillageTally, fold_unit, stamp
from backend.relay.identity import public_pem
from shared_schema.framework_loader import load_framework
from shared_schema.sync import Snapshot, snapshot_to_dict
from tests.conftest import Node
from tests.factories import tally_values


async def enroll(node: Node, unit: str, key: Ed25519PrivateKey | None = None) -> Ed25519PrivateKey:
    """Issue a token as admin and enroll a fresh key for `unit` on the node."""
    key = key or Ed25519PrivateKey.generate()
    issued = await node.client.post(
        "/api/sync/enroll-tokens", json={"unit": unit}, headers=node.auth("admin")
    )
    assert issued.status_code == 201, issued.text
    answer = await node.client.post(
        "/api/sync/enroll",
        json={"token": issued.json()["token"], "unit": unit, "public_key": public_pem(key)},
    )
    assert answer.status_code == 201, answer.text
    return key


def snapshot(
    origin: str,
    unit: str,
    scale: int = 1,
    villages: int = 3,
    level: str = "district",
    year: int = 2025,
    revision: int | None = None,
) -> Snapshot:
    """A plausible snapshot of `unit` built by `origin`."""
    now = datetime.now(UTC)
    tallies = [
        VillageTally(f"{unit}-{i}", tally_values(scale), "submitted", now) for i in range(villages)
    ]
    facts = UnitFacts(unit, level, "", year, villages, 0)
    built = stamp(fold_unit(load_framework(), facts, tallies, []), origin, None, now)
    assert built is not None
    if revision is not None:
        built.revision = revision
    return built


def signed(
    key: Ed25519PrivateKey,
    iss: str,
    snapshots: list[Snapshot],
    aud: str = "62",
    exp_in: int = 60,
    jti: str | None = None,
) -> str:
    """A push token as a child's relay would make it."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": iss,
        "aud": aud,
        "iat": now,
        "exp": now + exp_in,
        "jti": jti or uuid.uuid4().hex,
        "snapshots": [snapshot_to_dict(s) for s in snapshots],
    }
    return jwt.encode(claims, key, algorithm="EdDSA")


async def push(node: Node, token: str) -> Any:
    """POST a push token to the node's receive route, then let the rebuilder fold it."""
    answer = await node.client.post(
        "/api/sync/snapshots", content=token, headers={"Content-Type": "application/jwt"}
    )
    await node.rebuild()
    return answer
