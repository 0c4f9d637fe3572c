"""A tiny, safe evaluator of the framework's structured formulas (no eval), exact and fast.

Values are exact rationals kept as (numerator, denominator) integer pairs with a positive
denominator, so 29/100 × 100 compares equal to 29 (floats would say 28.999…) without the cost
of normalising a Fraction at every step.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache

from shared_schema.criteria import Constant, Expr, FieldRef, Ratio, Sum

Q = tuple[int, int]
NEGATED = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠"}


@lru_cache(maxsize=1024)
def exact(number: float) -> Q:
    """A decimal such as 12.5 or 0.1 as the exact rational its text means."""
    fraction = Fraction(str(number))
    return fraction.numerator, fraction.denominator


def evaluate(expr: Expr, totals: Mapping[str, int]) -> Q | None:
    """The formula's value over summed tallies; None when a field is missing or divides by 0."""
    if isinstance(expr, FieldRef):
        value = totals.get(expr.code)
        return None if value is None else (value, 1)
    if isinstance(expr, Ratio):
        return _ratio(expr, totals)
    if isinstance(expr, Constant):
        return exact(expr.value)
    return _sum(expr, totals)


def _sum(expr: Sum, totals: Mapping[str, int]) -> Q | None:
    """a/b + c/d = (ad + cb)/bd over every term."""
    num, den = 0, 1
    for term in expr.terms:
        part = evaluate(term, totals)
        if part is None:
            return None
        num, den = num * part[1] + part[0] * den, den * part[1]
    return num, den


def _ratio(expr: Ratio, totals: Mapping[str, int]) -> Q | None:
    """numerator / denominator × scale, from sums (never an average of percentages)."""
    return _divide(evaluate(expr.numerator, totals), evaluate(expr.denominator, totals), expr.scale)


def _divide(top: Q | None, bottom: Q | None, scale: float) -> Q | None:
    """top / bottom × scale; None when either is missing or the bottom is 0."""
    if top is None or bottom is None or bottom[0] == 0:
        return None
    scale_num, scale_den = exact(scale)
    num, den = top[0] * bottom[1] * scale_num, top[1] * bottom[0] * scale_den
    return (-num, -den) if den < 0 else (num, den)


def compare(value: Q, op: str, threshold: Q) -> bool:
    """value <op> threshold, exactly (both denominators are positive)."""
    left, right = value[0] * threshold[1], threshold[0] * value[1]
    if op == ">=":
        return left >= right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == "<":
        return left < right
    if op == "==":
        return left == right
    raise ValueError(f"unknown comparison {op!r}")


def as_float(value: Q | None) -> float | None:
    """A rational as a float for display (None stays None)."""
    return None if value is None else value[0] / value[1]


def evaluate_parts(
    expr: Expr, totals: Mapping[str, int]
) -> tuple[Q | None, float | None, float | None]:
    """(value, numerator, denominator): a ratio with the counts behind it, evaluated once."""
    if not isinstance(expr, Ratio):
        value = evaluate(expr, totals)
        return value, as_float(value), None
    top = evaluate(expr.numerator, totals)
    bottom = evaluate(expr.denominator, totals)
    return _divide(top, bottom, expr.scale), as_float(top), as_float(bottom)
