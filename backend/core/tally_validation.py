"""Check a tally's values against the framework's fields and rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.core.errors import FieldProblem
from shared_schema.framework import Framework, TallyField, TallySpec
from shared_schema.per_object import PerObject

MAX_COUNT = 2_000_000_000_000  # guard against absurd numbers that would overflow BIGINT sums


def _value_problem(code: str, value: Any, maximum: int | None) -> FieldProblem | None:
    """A problem with one value taken alone, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return FieldProblem(
            code, "not_a_number", "Giá trị phải là số nguyên", "Value must be a whole number"
        )
    if isinstance(value, float) and not value.is_integer():
        return FieldProblem(
            code,
            "not_whole",
            "Giá trị phải là số nguyên, không có phần thập phân",
            "Value must be a whole number, without decimals",
        )
    if value < 0:
        return FieldProblem(code, "negative", "Giá trị không được âm", "Value cannot be negative")
    limit = MAX_COUNT if maximum is None else maximum
    if value > limit:
        return FieldProblem(
            code, "too_large", f"Giá trị không được lớn hơn {limit}", f"Value cannot exceed {limit}"
        )
    return None


# The form's fields by code, built once per spec (asked for every submitted tally).
_known: PerObject[TallySpec, dict[str, TallyField]] = PerObject(
    lambda spec: {f.code: f for f in spec.fields}
)


def _shape_problems(spec: TallySpec, values: Mapping[str, Any]) -> list[FieldProblem]:
    """Unknown, missing and malformed values."""
    known = _known(spec)
    problems = [
        FieldProblem(
            code, "unknown_field", "Trường không có trong biểu mẫu", "Field is not part of the form"
        )
        for code in values
        if code not in known
    ]
    for code, field_spec in known.items():
        if code not in values or values[code] is None:
            if field_spec.required:
                problems.append(
                    FieldProblem(
                        code,
                        "required",
                        "Trường bắt buộc chưa được nhập",
                        "Required field is missing",
                    )
                )
            continue
        value, maximum = values[code], field_spec.maximum
        if type(value) is int and 0 <= value <= (MAX_COUNT if maximum is None else maximum):
            continue  # the common case, without the checks that name what is wrong
        problem = _value_problem(code, value, maximum)
        if problem:
            problems.append(problem)
    return problems


def _rule_problems(spec: TallySpec, values: Mapping[str, int]) -> list[FieldProblem]:
    """Order rules: each link of a chain must not exceed the next present one."""
    problems = []
    for rule in spec.order_rules:
        smaller: str | None = None
        for code in rule.chain:
            if code not in values:
                continue
            if smaller is not None and values[smaller] > values[code]:
                problems.append(FieldProblem(smaller, rule.code, rule.message.vi, rule.message.en))
                break
            smaller = code
    return problems


def validate_tally_values(
    framework: Framework, values: Mapping[str, Any]
) -> tuple[dict[str, int], list[FieldProblem]]:
    """Normalised values and every problem found (values count only when there is none)."""
    spec = framework.tally
    problems = _shape_problems(spec, values)
    bad = {p.field for p in problems}
    known = _known(spec)
    clean = {
        code: int(value)
        for code, value in values.items()
        if code not in bad and value is not None and code in known
    }
    if not problems:
        problems = _rule_problems(spec, clean)
    return clean, problems
