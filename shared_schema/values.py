"""Shapes of the values that cross the border: unit codes, names, years (wire constraints)."""

from __future__ import annotations

import unicodedata
from typing import Annotated

import msgspec

# Official codes (the nation VN, province 2, district 3, commune 5 digits) and villages built
# from them: 23353-01.
UNIT_CODE_PATTERN = r"^(VN|[0-9]{2,5}(-[0-9]{1,3})?)$"
# No C0/C1 control characters; the service also refuses format and unassigned characters.
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]+$"

UnitCode = Annotated[str, msgspec.Meta(pattern=UNIT_CODE_PATTERN, max_length=9)]
UnitName = Annotated[str, msgspec.Meta(pattern=NAME_PATTERN, min_length=1, max_length=200)]
# Refresh tokens are bound to the device that logged in: every login and refresh names it.
DeviceId = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
# A sanity bound that keeps any year inside a database integer; the framework's window is tighter.
Year = Annotated[int, msgspec.Meta(ge=1, le=9999)]
# Control characters (Cc), format characters such as bidirectional overrides (Cf), surrogates,
# private-use and unassigned code points never belong in a name.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def is_clean_text(text: str) -> bool:
    """True when no character is a control, format, surrogate, private or unassigned one."""
    return all(unicodedata.category(ch) not in _REFUSED_CATEGORIES for ch in text)


def clean_text(text: str) -> str:
    """The text without the characters is_clean_text refuses (for names already stored)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _REFUSED_CATEGORIES)


class YearWindow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The reporting years a framework accepts, first and last included."""

    first: int
    last: int

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year <= self.last
