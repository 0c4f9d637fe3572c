"""Timeliness against a deadline, Vietnam time, with the clock moved by the test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.timeliness import periodic_steps, timeliness, tracked_steps
from shared_schema.calendar import CalendarStep
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


LATER = at("2026-03-01T00:00Z")


def test_before_a_day_means_strictly_before_it_in_vietnam():
    assert timeliness(DEADLINE, at("2026-02-14T23:59:59+07:00"), LATER) == "on_time"
    assert timeliness(DEADLINE, at("2026-02-15T00:00:00+07:00"), LATER) == "late"
    assert timeliness(DEADLINE, at("2026-02-14T16:59:59+00:00"), LATER) == "on_time"
    assert timeliness(DEADLINE, at("2026-02-14T17:00:00+00:00"), LATER) == "late"


def test_an_inclusive_deadline_counts_the_day_itself_until_midnight():
    assert timeliness(DEADLINE, at("2026-02-15T23:59:59+07:00"), LATER, inclusive=True) == (
        "on_time"
    )
    assert timeliness(DEADLINE, at("2026-02-16T00:00:00+07:00"), LATER, inclusive=True) == "late"


def test_nothing_submitted_is_not_due_before_the_deadline_and_missing_after():
    assert timeliness(DEADLINE, None, at("2026-02-14T23:59:00+07:00")) == "not_due"
    assert timeliness(DEADLINE, None, at("2026-02-15T00:00:00+07:00")) == "missing"
    assert timeliness(DEADLINE, None, at("2026-02-15T23:59:00+07:00"), inclusive=True) == (
        "not_due"
    )


MOMENTS = st.datetimes(max_value=datetime(9000, 1, 1), timezones=st.just(UTC))


@given(MOMENTS, MOMENTS)
def test_a_submission_is_never_missing_and_status_ignores_the_clock(submitted, now):
    status = timeliness(DEADLINE, submitted, now)
    assert status in ("on_time", "late")
    assert status == timeliness(DEADLINE, submitted, now + timedelta(days=400))


def test_each_level_tracks_its_reports_dossier_tallies_and_recognition():
    calendar = load_framework().calendar
    commune = {s.code: s.tracks for s in tracked_steps(calendar, "commune")}
    assert commune == {
        "commune_yearly_report": "yearly_report",
        "commune_self_assessment": "report",
        "commune_dossier": "dossier",
        "commune_recognition": "recognition",
    }
    assert {s.tracks for s in tracked_steps(calendar, "district")} == {"dossier", "yearly_report"}
    assert [s.tracks for s in tracked_steps(calendar, "village")] == ["tally"]
    interim = periodic_steps(calendar, "commune")
    assert [(s.code, s.deadline.date_for(2025)) for s in interim] == [
        ("interim_report_1", date(2025, 6, 30)),
        ("interim_report_2", date(2025, 12, 15)),
    ]


def _commune_dossier(hierarchy: str) -> CalendarStep:
    """The commune dossier step as a node of this hierarchy sees it."""
    step = framework_with_deadlines(load_framework(), "", hierarchy).calendar.step(
        "commune_dossier"
    )
    assert step is not None
    return step


def test_the_four_level_calendar_takes_seed_003s_dates():
    step = _commune_dossier("vn-2008")
    assert step.deadline.date_for(2024) == date(2025, 2, 15)
    assert step.inclusive  # "chậm nhất ngày 15 tháng 02": the 15th itself is on time
    calendar = framework_with_deadlines(load_framework(), "", "vn-2008").calendar
    dates = {s.code: (s.deadline.date_for(2024), s.inclusive) for s in calendar.steps}
    assert dates["commune_self_assessment"] == (date(2025, 1, 31), False)
    assert dates["commune_recognition"] == (date(2025, 3, 31), False)
    assert dates["district_dossier"] == (date(2025, 4, 30), False)
    assert dates["commune_yearly_report"] == (date(2024, 12, 15), False)
    assert dates["district_yearly_report"] == (date(2024, 12, 20), False)


def test_the_two_level_calendar_takes_seed_004s_commune_dossier_date():
    step = _commune_dossier("vn-2025")
    assert step.deadline.date_for(2025) == date(2026, 2, 28)
    assert not step.inclusive and step.source.startswith("seed 004")
    deadline = step.deadline.date_for(2025)
    on_27th = timeliness(deadline, at("2026-02-27T15:00:00+07:00"), LATER, step.inclusive)
    on_28th = timeliness(deadline, at("2026-02-28T08:00:00+07:00"), LATER, step.inclusive)
    assert (on_27th, on_28th) == ("on_time", "late")
    step_2008 = _commune_dossier("vn-2008")
    on_15th = step_2008.deadline.date_for(2025)
    assert timeliness(on_15th, at("2026-02-15T16:00:00+07:00"), LATER, True) == "on_time"


def test_a_node_override_applies_on_top_of_the_hierarchys_default():
    framework = framework_with_deadlines(load_framework(), "commune_dossier=10/03", "vn-2025")
    step = framework.calendar.step("commune_dossier")
    assert step is not None and step.deadline.date_for(2025) == date(2026, 3, 10)


def test_a_node_setting_moves_a_deadline_and_keeps_the_year_offset():
    framework = framework_with_deadlines(load_framework(), "commune_dossier=28/02")
    step = framework.calendar.step("commune_dossier")
    assert step is not None and step.deadline.date_for(2025) == date(2026, 2, 28)
    assert parse_overrides(" a=1/12 , b=31/1") == {"a": (1, 12), "b": (31, 1)}
    with pytest.raises(DeadlineOverrideError):
        parse_overrides("commune_dossier=31/02")
    with pytest.raises(DeadlineOverrideError):
        framework_with_deadlines(load_framework(), "no_such_step=01/01")
