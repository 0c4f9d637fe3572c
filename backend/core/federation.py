"""The federation view: one row per unit from its roll-up, timeliness, sorting and filtering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from backend.core.errors import InvalidInput
from backend.core.unit_rollup import UnitRollup
from shared_schema.sync import FederationRow

TIMELINESS = ("on_time", "late", "missing")
SORT_KEYS = (
    "unit",
    "unit_name",
    "parent",
    "completeness",
    "villages_reported",
    "children_reported",
    "last_sync_at",
    "staleness_seconds",
    "last_reported_at",
    "timeliness",
    "revision",
)


def timeliness(rollup: UnitRollup | None, deadline: datetime) -> str:
    """on_time when the last report came by the deadline, late after it, missing with none."""
    if rollup is None or not rollup.reported:
        return "missing"
    reported = rollup.last_reported_at
    return "on_time" if reported is not None and reported <= deadline else "late"


def make_row(
    unit: str,
    unit_name: str,
    level: str,
    parent: str,
    rollup: UnitRollup,
    deadline: datetime,
    now: datetime,
) -> FederationRow:
    """A unit's line from its roll-up; a unit nobody reported for still gets a (missing) line."""
    done = rollup.completeness
    row = FederationRow(unit, unit_name, level, parent, rollup.year)
    row.reported = rollup.reported
    row.villages_total, row.villages_reported = done.villages_total, done.villages_reported
    row.children_total, row.children_reported = done.children_total, done.children_reported
    if done.villages_total:
        row.completeness = round(100.0 * done.villages_reported / done.villages_total, 1)
    row.rates = {r.code: r.value for r in rollup.rates}
    row.totals = dict(rollup.totals)
    row.origin, row.revision = rollup.origin, rollup.revision
    row.last_sync_at = rollup.synced_at
    if rollup.synced_at is not None:
        row.staleness_seconds = max(0, int((now - rollup.synced_at).total_seconds()))
    row.last_reported_at = rollup.last_reported_at
    row.timeliness = timeliness(rollup, deadline)
    row.evaluation = dict(rollup.evaluation)
    return row


def _sort_value(row: FederationRow, key: str) -> tuple[int, object]:
    """Missing values sort last whichever way; rates are sorted by `rate:<code>`."""
    value = row.rates.get(key[5:]) if key.startswith("rate:") else getattr(row, key)
    if key == "timeliness":
        value = TIMELINESS.index(row.timeliness)
    if isinstance(value, datetime):
        value = value.timestamp()
    return (value is None, value if value is not None else 0)


def sort_rows(rows: Sequence[FederationRow], sort: str) -> list[FederationRow]:
    """Sort by a column; a leading '-' sorts descending (missing values stay last)."""
    descending = sort.startswith("-")
    key = sort.lstrip("-") or "unit"
    if key not in SORT_KEYS and not key.startswith("rate:"):
        raise InvalidInput(
            "sort_invalid",
            f"Không sắp xếp được theo cột {key}",
            f"Cannot sort by {key}",
        )
    present = [r for r in rows if _sort_value(r, key)[0] is False]
    absent = [r for r in rows if _sort_value(r, key)[0] is True]
    present.sort(key=lambda r: _sort_value(r, key)[1], reverse=descending)  # type: ignore[arg-type,return-value]
    absent.sort(key=lambda r: r.unit)
    return present + absent


def filter_rows(
    rows: Sequence[FederationRow], timeliness_is: str = "", query: str = "", stale_over: int = 0
) -> list[FederationRow]:
    """Keep rows of one timeliness, whose code or name contains `query`, or staler than N s."""
    if timeliness_is and timeliness_is not in TIMELINESS:
        raise InvalidInput(
            "timeliness_invalid",
            "Trạng thái đúng hạn phải là on_time, late hoặc missing",
            "Timeliness must be on_time, late or missing",
        )
    needle = query.casefold()
    return [
        r
        for r in rows
        if (not timeliness_is or r.timeliness == timeliness_is)
        and (not needle or needle in r.unit.casefold() or needle in r.unit_name.casefold())
        and (not stale_over or r.staleness_seconds is None or r.staleness_seconds > stale_over)
    ]


# Columns known before any roll-up is read: a page sorted by one of them can be cut first.
UNIT_SORT_KEYS = ("unit", "unit_name", "parent")
MAX_PAGE = 5000


def check_page(offset: int, limit: int) -> None:
    """A page is an offset from 0 and a size from 1 to MAX_PAGE (0 means every row)."""
    if offset < 0 or not 0 <= limit <= MAX_PAGE:
        raise InvalidInput(
            "page_invalid",
            f"Trang không hợp lệ: offset ≥ 0 và limit từ 0 đến {MAX_PAGE}",
            f"Invalid page: offset ≥ 0 and limit from 0 to {MAX_PAGE}",
        )


def cut_before_rollup(sort: str, timeliness_is: str, stale_over: int) -> bool:
    """True when order and filters need no figures, so only the page's roll-ups are read."""
    return sort.lstrip("-") in UNIT_SORT_KEYS and not timeliness_is and not stale_over


def page_of(rows: Sequence[FederationRow], offset: int, limit: int) -> list[FederationRow]:
    """The rows of one page (every row from `offset` when limit is 0)."""
    return list(rows[offset : offset + limit] if limit else rows[offset:])
