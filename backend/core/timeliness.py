"""On time, late or missing: a submission against its deadline, as reporting rates are counted."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from shared_schema.calendar import Calendar, CalendarStep
from shared_schema.dossier_wire import TimelinessStatus

# Deadlines are calendar days in Vietnam (UTC+7 all year, no daylight saving).
VIETNAM = timezone(timedelta(hours=7), "ICT")


def deadline_end(deadline: date) -> datetime:
    """The last instant that still counts as on time: the end of the deadline day, Vietnam time."""
    return datetime.combine(deadline + timedelta(days=1), time(0), VIETNAM)


def timeliness(deadline: date, submitted_at: datetime | None, now: datetime) -> TimelinessStatus:
    """on_time / late by the submission time; missing once the deadline passed; else not_due."""
    end = deadline_end(deadline)
    if submitted_at is not None:
        return "on_time" if submitted_at < end else "late"
    return "missing" if now >= end else "not_due"


def tracked_steps(calendar: Calendar, unit_level: str) -> list[CalendarStep]:
    """The calendar steps that measure a submission by units of this level."""
    return [s for s in calendar.steps if s.tracks and s.unit_level == unit_level]
