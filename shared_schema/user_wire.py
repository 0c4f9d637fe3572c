"""Wire types for managing users, activation codes, bulk onboarding and password changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from shared_schema.wire import FieldError


class UserIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new user; they get an activation code instead of a password."""

    username: str
    full_name: str
    role: str
    unit: str
    phone: str | None = None


class UserPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change (absent or null = unchanged; an empty phone clears it)."""

    full_name: str | None = None
    phone: str | None = None
    role: str | None = None
    unit: str | None = None


class UserView(msgspec.Struct):
    """A user as their managers see them."""

    username: str
    full_name: str
    role: str
    unit: str
    unit_name: str
    active: bool
    has_password: bool
    phone: str | None = None
    activation_pending: bool = False
    activation_expires_at: datetime | None = None


class UserAction(msgspec.Struct, forbid_unknown_fields=True):
    """Why an account is deactivated, reactivated or reset (kept in its history)."""

    reason: str = ""


class ActivationIssued(msgspec.Struct):
    """A one-time activation code for a new or reset user (shown once; the sheet prints it)."""

    username: str
    full_name: str
    unit: str
    unit_name: str
    code: str
    expires_at: datetime
    activation_url: str


class ActivateRequest(msgspec.Struct, forbid_unknown_fields=True):
    """An activation code and the password its owner chooses."""

    code: str
    password: str
    device_id: str = ""


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    """The current password and the new one."""

    current: str
    new: str


class UserHistoryEntry(msgspec.Struct):
    """One change to a user, from the audit trail."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any] = {}


class ImportRow(msgspec.Struct):
    """One CSV row of a bulk import: what it would create, or why it cannot."""

    line: int
    village: str
    village_name: str = ""
    full_name: str = ""
    phone: str | None = None
    username: str = ""
    errors: list[FieldError] = []
    code: str = ""
    expires_at: datetime | None = None


class ImportReport(msgspec.Struct):
    """Every row judged; `committed` says whether accounts were created."""

    rows: list[ImportRow]
    valid: int
    invalid: int
    created: int
    committed: bool
