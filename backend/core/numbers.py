"""Number formatting for explanations: Vietnamese uses "," for decimals and "." for thousands."""

from __future__ import annotations

_VI_SEPARATORS = str.maketrans(",.", ".,")


def fmt(value: float, lang: str, digits: int = 2) -> str:
    """A number with up to `digits` decimals, trailing zeros dropped, in the language's style."""
    text = f"{float(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.translate(_VI_SEPARATORS)
    return text


def fmt_close(value: float, threshold: float, lang: str) -> str:
    """Format a failing value so it never prints equal to the threshold it missed (59.999 ≠ 60)."""
    for digits in (2, 4, 6):
        if round(value, digits) != threshold:
            return fmt(value, lang, digits)
    return fmt(value, lang, 8)
