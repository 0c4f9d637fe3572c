"""On time, late or missing: a submission against its deadline, as reporting rates are counted."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from shared_schema.calendar import Calendar, CalendarStep, Deadline
from shared_schema.dossier_wire import TimelinessStatus

# Deadlines are calendar days in Vietnam (UTC+7 all year, no daylight saving).
VIETNAM = timezone(timedelta(hours=7), "ICT")


def deadline_end(deadline: date, inclusive: bool = False) -> datetime:
    """The first late instant: the deadline day's start ("trước dd/mm"), its end when inclusive."""
    first_late_day = deadline + timedelta(days=1) if inclusive else deadline
    return datetime.combine(first_late_day, time(0), VIETNAM)


def last_on_time(deadline: date, inclusive: bool = False) -> datetime:
    """The last instant that still counts as on time (for views that compare with <=)."""
    return deadline_end(deadline, inclusive) - timedelta(microseconds=1)


def timeliness(
    deadline: date, submitted_at: datetime | None, now: datetime, inclusive: bool = False
) -> TimelinessStatus:
    """on_time / late by the submission time; missing once the deadline passed; else not_due."""
    end = deadline_end(deadline, inclusive)
    if submitted_at is not None:
        return "on_time" if submitted_at < end else "late"
    return "missing" if now >= end else "not_due"


def tracked_steps(calendar: Calendar, unit_level: str) -> list[CalendarStep]:
    """The calendar steps that measure a submission by units of this level."""
    return [s for s in calendar.steps if s.tracks and s.unit_level == unit_level]


def periodic_steps(calendar: Calendar, unit_level: str) -> list[CalendarStep]:
    """Each deadline of the recurring reports a level sends, as a step tracked by report code."""
    return [
        CalendarStep(
            code=f"{report.code}_{index}",
            label=report.label,
            unit_level=unit_level,
            deadline=Deadline(deadline.month, deadline.day, deadline.year_offset),
            source=report.source,
            tracks="report",
            inclusive=report.inclusive,
        )
        for report in calendar.periodic
        if unit_level in report.unit_levels
        for index, deadline in enumerate(report.deadlines, start=1)
    ]
