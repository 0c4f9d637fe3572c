"""Revoked access tokens: refused until they expire, checked on every request from a cached list."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from backend.db.database import Database
from backend.db.repositories import revoked_tokens as repo

RELOAD_SECONDS = 1.0


class RevokedTokens:
    """This process's view of the revoked ids, reloaded at most once a second (other workers)."""

    def __init__(self, db: Database, reload_seconds: float = RELOAD_SECONDS) -> None:
        self._db = db
        self._reload_seconds = reload_seconds
        self._ids: set[str] = set()
        self._loaded_at = float("-inf")

    async def contains(self, jti: str) -> bool:
        """True when the token was revoked (here at once, by another worker within a second)."""
        if time.monotonic() - self._loaded_at > self._reload_seconds:
            async with self._db.read() as conn:
                self._ids = await repo.active(conn, datetime.now(UTC))
            self._loaded_at = time.monotonic()
        return jti in self._ids

    async def revoke(self, jti: str, expires_at: int) -> None:
        """Refuse this token from now until it expires."""
        now = datetime.now(UTC)
        async with self._db.write() as conn:
            await repo.purge(conn, now)
            await repo.add(conn, jti, datetime.fromtimestamp(expires_at, UTC))
        self._ids.add(jti)
