"""Reporting calendar defaults (section 6 of the domain): deadlines as data, per step."""

from __future__ import annotations

import datetime as dt

import msgspec

from shared_schema.text import Text


class Deadline(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A day of the year, relative to the assessment year (year_offset 1 = the following year)."""

    month: int
    day: int
    year_offset: int = 0

    def date_for(self, assessment_year: int) -> dt.date:
        """The calendar date of this deadline for an assessment year."""
        return dt.date(assessment_year + self.year_offset, self.month, self.day)


class StepVariant(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A hierarchy's own date for a step (after 2025 the commune dossier is due before 28/02)."""

    deadline: Deadline
    source: str
    inclusive: bool = False


class CalendarStep(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One reporting step: who does what, by when, and where the date comes from.

    "trước dd/mm" means strictly before that day; `inclusive` marks a step whose document says
    "chậm nhất ngày" or "đến hết ngày" (the day itself still counts as on time).
    """

    code: str
    label: Text
    unit_level: str
    deadline: Deadline
    source: str
    note: Text | None = None
    # the submission whose timeliness it measures: dossier | yearly_report | report (a report
    # marked as sent under the step's code) | tally (a village's tally) | recognition
    tracks: str = ""
    inclusive: bool = False
    by_hierarchy: dict[str, StepVariant] = {}

    def in_hierarchy(self, hierarchy: str) -> CalendarStep:
        """The step with the hierarchy's own date, source and day semantics, if it has them."""
        variant = self.by_hierarchy.get(hierarchy)
        if variant is None:
            return self
        return msgspec.structs.replace(
            self, deadline=variant.deadline, source=variant.source, inclusive=variant.inclusive
        )


class PeriodicReport(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A recurring report (six-monthly, yearly) with its deadlines within the year."""

    code: str
    label: Text
    deadlines: list[Deadline]
    source: str
    unit_levels: list[str] = []  # levels that send it (tracked as reports "<code>_1", "<code>_2"…)
    inclusive: bool = False


class Calendar(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The default calendar; a province may publish a derived framework with other dates."""

    steps: list[CalendarStep] = []
    periodic: list[PeriodicReport] = []

    def step(self, code: str) -> CalendarStep | None:
        """The step with this code, if any."""
        return next((s for s in self.steps if s.code == code), None)

    def for_hierarchy(self, hierarchy: str) -> Calendar:
        """The calendar as it applies in one hierarchy (its own defaults where the seeds differ)."""
        return msgspec.structs.replace(self, steps=[s.in_hierarchy(hierarchy) for s in self.steps])
