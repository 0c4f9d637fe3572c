"""Tables that guard the door: login throttling counters and revoked access-token ids."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table

from backend.db.schema_base import metadata, timestamp

# One row per username (hashed) or client address; times in epoch milliseconds so the one
# conditional UPDATE that reserves an attempt is plain integer arithmetic on both databases.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("window_start_ms", BigInteger, nullable=False, default=0),
    Column("blocked_until_ms", BigInteger, nullable=False, default=0),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(64), primary_key=True),
    timestamp("expires_at"),
)
