"""Timeliness against a deadline, Vietnam time, with the clock moved by the test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.timeliness import timeliness, tracked_steps
from shared_schema.calendar_overrides import (
    DeadlineOverrideError,
    framework_with_deadlines,
    parse_overrides,
)
from shared_schema.framework_loader import load_framework

DEADLINE = date(2026, 2, 15)


def at(text: str) -> datetime:
    """An ISO instant."""
    return datetime.fromisoformat(text)


def test_the_deadline_day_counts_until_midnight_in_vietnam():
    assert timeliness(DEADLINE, at("2026-02-15T16:59:59+00:00"), at("2026-03-01T00:00Z")) == (
        "on_time"
    )
    assert timeliness(DEADLINE, at("2026-02-15T17:00:00+00:00"), at("2026-03-01T00:00Z")) == "late"


def test_nothing_submitted_is_not_due_before_the_deadline_and_missing_after():
    assert timeliness(DEADLINE, None, at("2026-02-15T23:59:00+07:00")) == "not_due"
    assert timeliness(DEADLINE, None, at("2026-02-16T00:00:00+07:00")) == "missing"


MOMENTS = st.datetimes(max_value=datetime(9000, 1, 1), timezones=st.just(UTC))


@given(MOMENTS, MOMENTS)
def test_a_submission_is_never_missing_and_status_ignores_the_clock(submitted, now):
    status = timeliness(DEADLINE, submitted, now)
    assert status in ("on_time", "late")
    assert status == timeliness(DEADLINE, submitted, now + timedelta(days=400))


def test_each_level_tracks_its_dossier_and_yearly_report():
    calendar = load_framework().calendar
    commune = {s.code: s.tracks for s in tracked_steps(calendar, "commune")}
    assert commune == {"commune_yearly_report": "yearly_report", "commune_dossier": "dossier"}
    assert {s.tracks for s in tracked_steps(calendar, "district")} == {"dossier", "yearly_report"}


def test_a_node_setting_moves_a_deadline_and_keeps_the_year_offset():
    framework = framework_with_deadlines(load_framework(), "commune_dossier=28/02")
    step = framework.calendar.step("commune_dossier")
    assert step is not None and step.deadline.date_for(2025) == date(2026, 2, 28)
    assert parse_overrides(" a=1/12 , b=31/1") == {"a": (1, 12), "b": (31, 1)}
    with pytest.raises(DeadlineOverrideError):
        parse_overrides("commune_dossier=31/02")
    with pytest.raises(DeadlineOverrideError):
        framework_with_deadlines(load_framework(), "no_such_step=01/01")
