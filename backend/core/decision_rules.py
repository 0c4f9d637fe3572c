"""What a decision must satisfy before it is stored or applied: kind, payload shape, year, date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from backend.core.errors import InvalidInput
from shared_schema.decision_payloads import PAYLOAD_BY_KIND, DecisionPayload, parse_payload
from shared_schema.framework import Framework


def decode_payload(kind: str, payload: dict[str, Any]) -> DecisionPayload:
    """The typed payload of a known kind, or a 422 naming what is wrong."""
    if kind not in PAYLOAD_BY_KIND:
        raise InvalidInput(
            "decision_kind_unknown",
            f"Loại quyết định không hợp lệ: {kind}",
            f"Unknown decision kind: {kind}",
        )
    try:
        return parse_payload(kind, payload)
    except ValueError as exc:
        raise InvalidInput(
            "decision_payload_invalid",
            f"Nội dung quyết định '{kind}' không hợp lệ: {exc}",
            f"The '{kind}' decision payload is invalid: {exc}",
        ) from exc


def check_year(framework: Framework, year: int, today: date) -> None:
    """A decision is about a year the framework covers, and not beyond next year."""
    last = min(framework.valid_to_year or today.year + 1, today.year + 1)
    if not framework.valid_from_year <= year <= last:
        raise InvalidInput(
            "decision_year_invalid",
            f"Năm của quyết định phải từ {framework.valid_from_year} đến {last}",
            f"The decision's year must be between {framework.valid_from_year} and {last}",
        )


def check_decided_on(year: int, decided_on: date, today: date) -> None:
    """A recognition is signed during or after the year it is for, and not in the future.

    One day of leeway: an officer in Vietnam (UTC+7) may already be on the next day.
    """
    if not date(year, 1, 1) <= decided_on <= today + timedelta(days=1):
        raise InvalidInput(
            "decision_date_invalid",
            f"Ngày quyết định phải từ 01/01/{year} đến hôm nay",
            f"The decision date must fall between 1 January {year} and today",
        )
