"""Values that are accepted but flagged for the commune officer's attention."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared_schema.framework import JumpFlag


@dataclass(frozen=True)
class Flag:
    """A flagged field with the figures that raised it."""

    field: str
    code: str
    message_vi: str
    message_en: str
    previous: int | None
    current: int | None


def _is_jump(rule: JumpFlag, previous: int, current: int) -> bool:
    """True when current is at least rule.ratio times away from previous, either way."""
    if max(previous, current) < rule.minimum_previous:
        return False
    low, high = sorted((previous, current))
    return low == 0 or high / low >= rule.ratio


def jump_flags(
    rule: JumpFlag, previous: Mapping[str, int] | None, current: Mapping[str, int]
) -> list[Flag]:
    """Fields whose value jumped far from the village's previous-year figure."""
    if not previous:
        return []
    return [
        Flag(
            code, "jump_from_previous_year", rule.message.vi, rule.message.en, previous[code], value
        )
        for code, value in current.items()
        if code in previous and _is_jump(rule, previous[code], value)
    ]
