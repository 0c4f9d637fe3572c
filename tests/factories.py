"""Plausible tally values for tests."""

from __future__ import annotations

import uuid
from typing import Any


def tally_values(scale: int = 1, **overrides: int) -> dict[str, int]:
    """A consistent village tally (recognised ≤ registered ≤ total, trained ≥ university)."""
    values = {
        "households_total": 120 * scale,
        "families_registered": 100 * scale,
        "families_recognized": 85 * scale,
        "clans_total": 6 * scale,
        "clans_registered": 5 * scale,
        "clans_recognized": 4 * scale,
        "citizens_total": 400 * scale,
        "citizens_registered": 300 * scale,
        "citizens_recognized": 240 * scale,
        "units_total": 4 * scale,
        "units_registered": 3 * scale,
        "units_recognized": 2 * scale,
        "village_community_recognized": 1,
        "trained_total": 200 * scale,
        "university_total": 48 * scale,
    }
    values.update(overrides)
    return values


def tally_body(village: str = "23353-01", year: int = 2025, **values: Any) -> dict[str, Any]:
    """A submission body with a fresh client UUID."""
    return {
        "client_uuid": str(uuid.uuid4()),
        "village": village,
        "year": year,
        "values": values or tally_values(),
    }
