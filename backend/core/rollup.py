"""Sum village tallies and compute rates from the sums (never by averaging percentages)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared_schema.framework import Rate

VILLAGE_COUNT = "village_count"


@dataclass(frozen=True)
class RateResult:
    """A rate with the counts it came from."""

    code: str
    numerator: int
    denominator: int
    value: float | None


def sum_tallies(tallies: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Field-wise sums; each tally also counts as one village."""
    totals: dict[str, int] = {}
    for values in tallies:
        for code, value in values.items():
            totals[code] = totals.get(code, 0) + value
        totals[VILLAGE_COUNT] = totals.get(VILLAGE_COUNT, 0) + 1
    return totals


def merge_totals(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Add already-summed totals of child units together."""
    merged: dict[str, int] = {}
    for part in parts:
        for code, value in part.items():
            merged[code] = merged.get(code, 0) + value
    return merged


def compute_rate(rate: Rate, totals: Mapping[str, int]) -> RateResult:
    """sum(numerator)/sum(denominator) × scale (a percentage), None when the denominator is 0."""
    numerator = sum(totals.get(c, 0) for c in rate.numerator)
    denominator = sum(totals.get(c, 0) for c in rate.denominator)
    value = round(rate.scale * numerator / denominator, 2) if denominator else None
    return RateResult(rate.code, numerator, denominator, value)


def compute_rates(rates: Iterable[Rate], totals: Mapping[str, int]) -> list[RateResult]:
    """Every framework rate over the given totals."""
    return [compute_rate(rate, totals) for rate in rates]
