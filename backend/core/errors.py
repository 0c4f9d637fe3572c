"""Domain errors: a stable code and messages in Vietnamese and English, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One bad field, explained in both languages."""

    field: str
    code: str
    message_vi: str
    message_en: str


@dataclass
class DomainError(Exception):
    """Base of every error the web layer maps to a problem response."""

    code: str
    message_vi: str
    message_en: str
    errors: list[FieldProblem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    kind = "invalid"

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}"


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule; nothing was stored."""

    kind = "invalid"


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    kind = "not_found"


class Forbidden(DomainError):
    """The caller's role or unit does not allow this."""

    kind = "forbidden"


class Unauthenticated(DomainError):
    """No valid credentials."""

    kind = "unauthenticated"


class Conflict(DomainError):
    """The request contradicts what is already stored."""

    kind = "conflict"


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    kind = "rate_limited"


class TooLarge(DomainError):
    """The upload exceeds the configured size; nothing was stored."""

    kind = "too_large"


class UnsupportedType(DomainError):
    """The uploaded content is not one of the accepted file types; nothing was stored."""

    kind = "unsupported_type"
