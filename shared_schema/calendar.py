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


class CalendarStep(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One reporting step: who does what, by when, and where the date comes from."""

    code: str
    label: Text
    unit_level: str
    deadline: Deadline
    source: str
    note: Text | None = None
    tracks: str = ""  # "dossier" | "yearly_report": the submission whose timeliness it measures


class PeriodicReport(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A recurring report (six-monthly, yearly) with its deadlines within the year."""

    code: str
    label: Text
    deadlines: list[Deadline]
    source: str


class Calendar(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The default calendar; a province may publish a derived framework with other dates."""

    steps: list[CalendarStep] = []
    periodic: list[PeriodicReport] = []

    def step(self, code: str) -> CalendarStep | None:
        """The step with this code, if any."""
        return next((s for s in self.steps if s.code == code), None)
