"""Activation codes: ten digits (typeable on a phone keypad), shown grouped, compared normalised."""

from __future__ import annotations

import secrets

CODE_DIGITS = 10


def new_code() -> str:
    """A fresh random code of digits only."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def normalise(typed: str) -> str:
    """The digits a person typed, ignoring spaces, dashes and dots between groups."""
    return "".join(ch for ch in typed if ch.isdigit() and ch.isascii())


def grouped(code: str) -> str:
    """A code as printed and read aloud: 3-3-4 digits."""
    digits = normalise(code)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def well_formed(typed: str) -> bool:
    """True when the typed text has exactly the digits of a code and nothing else but separators."""
    return len(normalise(typed)) == CODE_DIGITS and all(
        ch.isdigit() or ch in " -." for ch in typed.strip()
    )
