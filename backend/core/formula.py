"""A tiny, safe evaluator of the framework's structured formulas (no eval): exact fractions."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache

from shared_schema.criteria import Constant, Expr, FieldRef, Ratio, Sum

NEGATED = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠"}


@lru_cache(maxsize=1024)
def exact(number: float) -> Fraction:
    """A decimal threshold such as 12.5 or 0.1 as the exact fraction its text means."""
    return Fraction(str(number))


def evaluate(expr: Expr, totals: Mapping[str, int]) -> Fraction | None:
    """The formula's value over summed tallies; None when a field is missing or divides by 0."""
    if isinstance(expr, FieldRef):
        value = totals.get(expr.code)
        return None if value is None else Fraction(value)
    if isinstance(expr, Constant):
        return exact(expr.value)
    if isinstance(expr, Sum):
        total = Fraction(0)
        for term in expr.terms:
            part = evaluate(term, totals)
            if part is None:
                return None
            total += part
        return total
    return _ratio(expr, totals)


def _ratio(expr: Ratio, totals: Mapping[str, int]) -> Fraction | None:
    """numerator / denominator × scale, from sums (never an average of percentages)."""
    numerator = evaluate(expr.numerator, totals)
    denominator = evaluate(expr.denominator, totals)
    if numerator is None or not denominator:
        return None
    return numerator / denominator * exact(expr.scale)


def compare(value: Fraction, op: str, threshold: Fraction) -> bool:
    """value <op> threshold for the framework's comparison operators."""
    if op == ">=":
        return value >= threshold
    if op == ">":
        return value > threshold
    if op == "<=":
        return value <= threshold
    if op == "<":
        return value < threshold
    if op == "==":
        return value == threshold
    raise ValueError(f"unknown comparison {op!r}")


def parts(expr: Expr, totals: Mapping[str, int]) -> tuple[Fraction | None, Fraction | None]:
    """(numerator, denominator) of a ratio formula, to show the counts behind a rate."""
    if isinstance(expr, Ratio):
        return evaluate(expr.numerator, totals), evaluate(expr.denominator, totals)
    return evaluate(expr, totals), None
