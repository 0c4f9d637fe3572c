"""Users, activation codes and their history as services see them (no database types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class UserRecord:
    """A user with the unit they are bound to."""

    id: int
    username: str
    full_name: str
    phone: str | None
    role: str
    unit_code: str
    unit_name: str
    unit_level: str
    unit_path: str
    active: bool
    has_password: bool


@dataclass(frozen=True)
class ActivationRecord:
    """One activation code (never its digits: only the keyed hash and the sealed copy)."""

    id: int
    user_id: int
    sealed: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    """One audit row about a user."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
