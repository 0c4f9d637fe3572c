"""Checks on what officials type about a user: username, full name, phone."""

from __future__ import annotations

import re
import unicodedata

from backend.core.errors import FieldProblem, InvalidInput

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")
PHONE = re.compile(r"\+?[0-9]{8,15}")


def username_problem(username: str) -> FieldProblem | None:
    """3–80 lower-case letters, digits, dot, dash or underscore (easy to type on a phone)."""
    if USERNAME.fullmatch(username):
        return None
    return FieldProblem(
        "username",
        "username_invalid",
        "Tên đăng nhập gồm 3–80 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới",
        "A username has 3–80 lower-case unaccented letters, digits, dots, dashes or underscores",
    )


def clean_name(full_name: str) -> tuple[str, FieldProblem | None]:
    """A person's name, NFC-normalised and trimmed; no control characters, at most 200 long."""
    name = unicodedata.normalize("NFC", " ".join(full_name.split()))
    if len(name) > 200 or any(unicodedata.category(ch).startswith("C") for ch in name):
        return name, FieldProblem(
            "full_name",
            "full_name_invalid",
            "Họ tên dài quá 200 ký tự hoặc có ký tự điều khiển",
            "The name is longer than 200 characters or has control characters",
        )
    return name, None


def clean_phone(phone: str | None) -> tuple[str | None, FieldProblem | None]:
    """A phone number without spaces, dots or dashes (None when empty)."""
    if phone is None or not phone.strip():
        return None, None
    compact = re.sub(r"[\s.\-()]", "", phone)
    if PHONE.fullmatch(compact):
        return compact, None
    return phone, FieldProblem(
        "phone",
        "phone_invalid",
        "Số điện thoại gồm 8–15 chữ số, có thể bắt đầu bằng +",
        "A phone number has 8–15 digits, optionally starting with +",
    )


def raise_if(problems: list[FieldProblem | None]) -> None:
    """Refuse the request when any field is wrong, listing every wrong field."""
    found = [p for p in problems if p is not None]
    if found:
        raise InvalidInput(
            "user_invalid",
            "Thông tin người dùng không hợp lệ: " + "; ".join(p.message_vi for p in found),
            "The user's details are not valid: " + "; ".join(p.message_en for p in found),
            found,
        )
