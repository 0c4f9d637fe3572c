"""Node overrides of calendar deadlines (XHHT_DEADLINES), applied to the framework in force."""

from __future__ import annotations

from datetime import date

import msgspec

from shared_schema.calendar import Calendar, Deadline
from shared_schema.framework import Framework


class DeadlineOverrideError(ValueError):
    """A node setting names an unknown step or a date that does not exist."""


def parse_overrides(text: str) -> dict[str, tuple[int, int]]:
    """'commune_dossier=28/02, district_yearly_report=01/12' → {step: (day, month)}."""
    found: dict[str, tuple[int, int]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        code, _, when = item.partition("=")
        day, _, month = when.strip().partition("/")
        try:
            date(2024, int(month), int(day))
        except ValueError:
            raise DeadlineOverrideError(
                f"deadline override {item!r}: expected step=DD/MM"
            ) from None
        found[code.strip()] = (int(day), int(month))
    return found


def with_overrides(calendar: Calendar, overrides: dict[str, tuple[int, int]]) -> Calendar:
    """The calendar with some steps' day and month replaced (the year offset is kept)."""
    unknown = set(overrides) - {s.code for s in calendar.steps}
    if unknown:
        raise DeadlineOverrideError(f"unknown calendar steps: {', '.join(sorted(unknown))}")
    steps = [
        msgspec.structs.replace(
            s,
            deadline=Deadline(overrides[s.code][1], overrides[s.code][0], s.deadline.year_offset),
        )
        if s.code in overrides
        else s
        for s in calendar.steps
    ]
    return msgspec.structs.replace(calendar, steps=steps)


def framework_with_deadlines(
    framework: Framework, overrides: str, hierarchy: str = ""
) -> Framework:
    """The framework with the hierarchy's calendar defaults, then a node's overrides applied."""
    calendar = framework.calendar.for_hierarchy(hierarchy) if hierarchy else framework.calendar
    if overrides.strip():
        calendar = with_overrides(calendar, parse_overrides(overrides))
    return msgspec.structs.replace(framework, calendar=calendar)
