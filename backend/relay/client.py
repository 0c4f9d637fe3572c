"""Talking to the parent over HTTP: signed pushes and pulls, enrollment, key rotation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend.relay.identity import public_pem, sign
from shared_schema.sync import (
    DecisionPage,
    EnrollRequest,
    EnrollResponse,
    NodeInfo,
    PushAck,
    Snapshot,
    snapshot_to_dict,
)

LINK_CODES = {
    "sync_unknown_node",
    "sync_signature_invalid",
    "sync_expired",
    "sync_audience_mismatch",
    "sync_node_unconfigured",
}


class ParentUnreachable(Exception):
    """Network error or a 5xx: the whole link backs off."""


@dataclass
class ParentRefused(Exception):
    """A 4xx problem from the parent, with its stable code."""

    status: int
    code: str
    detail: str
    members: dict[str, Any] = field(default_factory=dict)  # the problem's extension members

    @property
    def link_level(self) -> bool:
        """True when every push would fail the same way (identity, not content)."""
        return self.code in LINK_CODES


def _raise_for(response: httpx.Response) -> None:
    """Turn a non-2xx answer into the matching exception."""
    if response.status_code < 400:
        return
    if response.status_code >= 500:
        raise ParentUnreachable(f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    raise ParentRefused(
        response.status_code,
        str(body.get("code", "http_error")),
        str(body.get("message_en", "")),
        body,
    )


async def _send(call: object) -> httpx.Response:
    """Await an httpx call, mapping transport failures to ParentUnreachable."""
    try:
        response: httpx.Response = await call  # type: ignore[misc]
    except httpx.HTTPError as exc:
        raise ParentUnreachable(f"{type(exc).__name__}: {exc}") from exc
    _raise_for(response)
    return response


@dataclass
class ParentClient:
    """One parent, seen from a child node with its own key."""

    http: httpx.AsyncClient
    url: str
    key: Ed25519PrivateKey
    unit: str
    parent_unit: str = ""
    clock_offset: float = 0.0  # seconds to add to our clock to read the parent's

    async def audience(self) -> str:
        """The parent's unit (from enrollment, else asked once)."""
        if not self.parent_unit:
            response = await _send(self.http.get(f"{self.url}/api/sync/node"))
            self.parent_unit = msgspec.json.decode(response.content, type=NodeInfo).unit
        return self.parent_unit

    async def push(self, snapshots: list[Snapshot]) -> PushAck:
        """One signed push of a batch of snapshots."""
        token = sign(
            self.key,
            self.unit,
            await self.audience(),
            offset=self.clock_offset,
            snapshots=[snapshot_to_dict(s) for s in snapshots],
        )
        response = await _send(
            self.http.post(
                f"{self.url}/api/sync/snapshots",
                content=token,
                headers={"Content-Type": "application/jwt"},
            )
        )
        return msgspec.json.decode(response.content, type=PushAck)

    async def pull(self, since: int) -> DecisionPage:
        """Decisions after the cursor, asked with a signed token."""
        token = sign(self.key, self.unit, await self.audience(), offset=self.clock_offset)
        response = await _send(
            self.http.get(
                f"{self.url}/api/sync/decisions",
                params={"since": since},
                headers={"Authorization": f"Bearer {token}"},
            )
        )
        return msgspec.json.decode(response.content, type=DecisionPage)

    async def enroll(self, token: str, own_url: str = "") -> EnrollResponse:
        """Register this node's public key with a one-time token."""
        body = EnrollRequest(token, self.unit, public_pem(self.key), own_url)
        response = await _send(
            self.http.post(
                f"{self.url}/api/sync/enroll",
                content=msgspec.json.encode(body),
                headers={"Content-Type": "application/json"},
            )
        )
        return msgspec.json.decode(response.content, type=EnrollResponse)

    async def rotate(self, new_key: Ed25519PrivateKey) -> None:
        """Send the new public key, signed with the current key."""
        token = sign(self.key, self.unit, await self.audience(), new_public_key=public_pem(new_key))
        await _send(
            self.http.post(
                f"{self.url}/api/sync/rotate-key",
                content=token,
                headers={"Content-Type": "application/jwt"},
            )
        )
