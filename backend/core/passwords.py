"""Password policy: long enough, not common, not trivial, not the username; reasons in vi and en."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from backend.core.errors import FieldProblem, InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 200
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "0987654321")


@dataclass(frozen=True)
class PasswordPolicy:
    """The rules a new password must pass; `common` holds lower-cased passwords to refuse."""

    common: Collection[str]
    min_length: int = MIN_LENGTH

    def problems(self, password: str, username: str = "") -> list[FieldProblem]:
        """Every reason this password is refused (empty when it is acceptable)."""
        return [p for check in _CHECKS if (p := check(self, password, username)) is not None]

    def check(self, password: str, username: str = "") -> None:
        """Refuse an unacceptable password with all its reasons."""
        found = self.problems(password, username)
        if found:
            raise InvalidInput(
                "password_weak",
                "Mật khẩu chưa đủ an toàn: " + "; ".join(p.message_vi for p in found),
                "The password is not safe enough: " + "; ".join(p.message_en for p in found),
                found,
            )


def _reason(code: str, vi: str, en: str) -> FieldProblem:
    """One refusal reason about the password field."""
    return FieldProblem("password", code, vi, en)


def _length(policy: PasswordPolicy, password: str, _username: str) -> FieldProblem | None:
    """Too short (counted in characters, so Vietnamese letters count once) or absurdly long."""
    if len(password.strip()) < policy.min_length:
        return _reason(
            "password_too_short",
            f"cần ít nhất {policy.min_length} ký tự (không tính khoảng trắng ở hai đầu)",
            f"needs at least {policy.min_length} characters (not counting spaces at either end)",
        )
    if len(password) > MAX_LENGTH:
        return _reason(
            "password_too_long",
            f"dài quá {MAX_LENGTH} ký tự",
            f"longer than {MAX_LENGTH} characters",
        )
    return None


def _common(policy: PasswordPolicy, password: str, _username: str) -> FieldProblem | None:
    """In the list of passwords attackers try first."""
    folded = password.strip().lower()
    if folded in policy.common or folded.replace(" ", "") in policy.common:
        return _reason(
            "password_common",
            "nằm trong danh sách mật khẩu phổ biến, dễ bị đoán",
            "is on the list of common passwords that are guessed first",
        )
    return None


def is_trivial(password: str) -> bool:
    """One repeated character or pattern, or a straight run on the keyboard or the alphabet."""
    text = password.strip().lower()
    if len(set(text)) <= 2:
        return True
    for size in (2, 3, 4):
        unit = text[:size]
        if len(text) >= 2 * size and (unit * (len(text) // size + 1)).startswith(text):
            return True
    if text.isdigit() or text.isalpha():
        steps = {ord(b) - ord(a) for a, b in pairwise(text)}
        if steps in ({1}, {-1}):
            return True
    return any(text in row or text in row[::-1] for row in KEYBOARD_ROWS)


def _trivial(_policy: PasswordPolicy, password: str, _username: str) -> FieldProblem | None:
    """Repeated or sequential characters."""
    if password.strip() and is_trivial(password):
        return _reason(
            "password_trivial",
            "chỉ là ký tự lặp lại hoặc dãy liên tiếp (như 11111111, 12345678, abcdefgh)",
            "is only repeated or consecutive characters (like 11111111, 12345678, abcdefgh)",
        )
    return None


def _username(_policy: PasswordPolicy, password: str, username: str) -> FieldProblem | None:
    """Contains the username, which anyone who knows the account can guess."""
    name = username.strip().lower()
    if len(name) >= 3 and name in password.lower():
        return _reason(
            "password_has_username",
            "không được chứa tên đăng nhập",
            "must not contain the username",
        )
    return None


_CHECKS = (_length, _common, _trivial, _username)
