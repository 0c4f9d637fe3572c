"""Short-lived access JWTs signed with the node secret; claims carry role and scope."""

from __future__ import annotations

import time
from typing import Any

import jwt

from backend.core.access import Principal
from backend.core.errors import Unauthenticated

ALGORITHM = "HS256"
AUDIENCE = "xhht-api"


def issue_access_token(
    secret: str,
    lifetime: int,
    user_id: int,
    username: str,
    role: str,
    unit_code: str,
    unit_path: str,
    device_id: str,
) -> str:
    """An access token the API trusts until it expires (role changes apply within minutes)."""
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
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def principal_from_token(secret: str, token: str, client_ip: str, user_agent: str) -> Principal:
    """Verify a bearer token and turn its claims into the acting principal."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=AUDIENCE
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated(
            "token_expired", "Phiên đăng nhập đã hết hạn", "Access token expired"
        ) from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated(
            "token_invalid", "Phiên đăng nhập không hợp lệ", "Invalid access token"
        ) from exc
    return Principal(
        int(claims["sub"]),
        claims["usr"],
        claims["role"],
        claims["unit"],
        claims["path"],
        client_ip,
        user_agent,
        claims.get("dev", ""),
    )
