"""Short-lived access JWTs signed with the node secret; claims carry role and scope."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt

from backend.core.access import Principal
from backend.core.errors import Unauthenticated

ALGORITHM = "HS256"
AUDIENCE = "xhht-api"
REQUIRED = ["exp", "iat", "iss", "sub", "jti"]
CACHE_SIZE = 8192


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says about its holder."""

    user_id: int
    username: str
    role: str
    unit_code: str
    unit_path: str
    device_id: str
    jti: str
    expires_at: int

    def principal(self, client_ip: str, user_agent: str) -> Principal:
        """The acting principal for this request."""
        return Principal(
            self.user_id,
            self.username,
            self.role,
            self.unit_code,
            self.unit_path,
            client_ip,
            user_agent,
            self.device_id,
        )


_VERIFIED: OrderedDict[tuple[str, str, str], AccessClaims] = OrderedDict()


def issue_access_token(
    secret: str,
    lifetime: int,
    user_id: int,
    username: str,
    role: str,
    unit_code: str,
    unit_path: str,
    device_id: str,
    *,
    issuer: str,
) -> str:
    """An access token the API trusts until it expires or is revoked at logout."""
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "usr": username,
        "role": role,
        "unit": unit_code,
        "path": unit_path,
        "dev": device_id,
        "iat": now,
        "exp": now + lifetime,
        "aud": AUDIENCE,
        "iss": issuer,
        "jti": secrets.token_hex(16),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def _decode(secret: str, issuer: str, token: str) -> AccessClaims:
    """Signature, audience, issuer (this node's unit) and the required claims, checked."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=issuer,
            options={"require": REQUIRED},
        )
        return AccessClaims(
            int(claims["sub"]),
            str(claims["usr"]),
            str(claims["role"]),
            str(claims["unit"]),
            str(claims["path"]),
            str(claims.get("dev", "")),
            str(claims["jti"]),
            int(claims["exp"]),
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated(
            "token_expired", "Phiên đăng nhập đã hết hạn", "Access token expired"
        ) from exc
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
        raise Unauthenticated(
            "token_invalid", "Phiên đăng nhập không hợp lệ", "Invalid access token"
        ) from exc


def verify_access_token(secret: str, issuer: str, token: str) -> AccessClaims:
    """Verified claims, remembered per token until it expires (revocation is checked apart)."""
    key = (secret, issuer, token)
    cached = _VERIFIED.get(key)
    if cached is not None:
        if cached.expires_at > time.time():
            _VERIFIED.move_to_end(key)
            return cached
        del _VERIFIED[key]
    claims = _decode(secret, issuer, token)
    _VERIFIED[key] = claims
    if len(_VERIFIED) > CACHE_SIZE:
        _VERIFIED.popitem(last=False)
    return claims
