"""Verify the EdDSA tokens nodes sign: issuer's enrolled key, audience, expiry, required claims."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any, TypeVar

import jwt
import msgspec
from jwt.algorithms import OKPAlgorithm

from backend.core import sync_errors
from backend.core.errors import DomainError
from backend.db.database import Database
from backend.services import receiving

log = logging.getLogger("xhht.sync")
T = TypeVar("T")
MAX_LIFETIME = 300  # seconds a node token may live, however long it asks for
LEEWAY = 30  # seconds two nodes' clocks may differ (documented in docs/sync-protocol.md)


def issuer_of(token: str) -> str:
    """Who claims to have signed (not yet trusted)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise sync_errors.signature_invalid("not a JWT") from exc
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    if not isinstance(issuer, str) or not issuer:
        raise sync_errors.signature_invalid("no issuer")
    return issuer


def verify(token: str, public_key: str, audience: str) -> dict[str, Any]:
    """Claims of a token signed by this key for this audience, or the matching sync problem."""
    if not audience:
        raise sync_errors.node_unconfigured()
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            public_key,
            algorithms=["EdDSA"],
            audience=audience,
            options={
                "require": ["iss", "aud", "exp", "jti"],
                "verify_exp": False,  # times are judged below, where skew gets its own problem
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.InvalidAudienceError as exc:
        raise sync_errors.audience_mismatch() from exc
    except jwt.PyJWTError as exc:
        raise sync_errors.signature_invalid(type(exc).__name__) from exc
    check_times(claims, time.time())
    return claims


def check_times(claims: dict[str, Any], now: float) -> None:
    """Issued no later than now + leeway, not expired, short-lived; a skewed clock is named."""
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or (iat is not None and not isinstance(iat, int | float)):
        raise sync_errors.signature_invalid("exp and iat must be numbers")
    if iat is not None and iat > now + LEEWAY:
        raise _skew(iat - now, now)
    if exp < now - LEEWAY:
        if iat is not None and 0 <= exp - iat <= MAX_LIFETIME:
            raise _skew(iat - now, now)  # a fresh token already expired: the child is behind
        raise sync_errors.expired()
    if exp - now > MAX_LIFETIME + LEEWAY or (iat is not None and exp - iat > MAX_LIFETIME):
        raise sync_errors.expired()


def _skew(seconds: float, now: float) -> DomainError:
    """The clock-skew problem, carrying this node's time."""
    moment = datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")
    return sync_errors.clock_skew(moment, seconds)


async def verified(db: Database, token: str, audience: str, kind: type[T]) -> T:
    """Verify a node token against the issuer's enrolled key and decode its claims."""
    issuer = issuer_of(token)
    try:
        claims = verify(token, await receiving.child_key(db, issuer), audience)
        return msgspec.convert(claims, kind)
    except msgspec.ValidationError as exc:
        raise sync_errors.payload_invalid(str(exc)) from exc
    except DomainError as exc:
        log.warning("sync refused from %s: %s", issuer, exc.code)
        raise


def bearer(header: str) -> str:
    """The token of an `Authorization: Bearer …` header."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise sync_errors.signature_invalid("missing bearer token")
    return token.strip()


def check_public_key(pem: str) -> None:
    """Refuse a public key that is not an Ed25519 PEM key."""
    try:
        OKPAlgorithm().prepare_key(pem)
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise sync_errors.payload_invalid("public_key is not an Ed25519 PEM key") from exc
    if "PRIVATE" in pem:
        raise sync_errors.payload_invalid("public_key must be the public half")
