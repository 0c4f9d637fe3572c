"""Verify the EdDSA tokens nodes sign: issuer's enrolled key, audience, expiry, required claims."""

from __future__ import annotations

import logging
import time
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
LEEWAY = 10


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
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise sync_errors.expired() from exc
    except jwt.InvalidAudienceError as exc:
        raise sync_errors.audience_mismatch() from exc
    except jwt.PyJWTError as exc:
        raise sync_errors.signature_invalid(type(exc).__name__) from exc
    if int(claims["exp"]) - time.time() > MAX_LIFETIME + LEEWAY:
        raise sync_errors.expired()
    return claims


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
