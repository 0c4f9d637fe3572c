"""The bulk-onboarding CSV: `village,full_name,phone[,username]`; only `village` is required."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from backend.core.errors import FieldProblem, InvalidInput

REQUIRED = ("village",)
KNOWN = ("village", "full_name", "phone", "username")


@dataclass(frozen=True)
class ImportLine:
    """One data line of the file, as typed (checks come later, per row)."""

    line: int
    village: str
    full_name: str
    phone: str
    username: str


def parse_user_csv(text: str) -> list[ImportLine]:
    """Lines of the file; a missing or unknown column refuses the whole file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    problems = [
        FieldProblem(f"row 1.{c}", "missing_column", f"Thiếu cột {c}", f"Column {c} is missing")
        for c in REQUIRED
        if c not in header
    ] + [
        FieldProblem(f"row 1.{c}", "unknown_column", f"Cột lạ: {c}", f"Unknown column: {c}")
        for c in header
        if c not in KNOWN
    ]
    if problems:
        raise InvalidInput(
            "users_csv_invalid",
            "Tệp danh sách phải có cột village (và có thể full_name, phone, username)",
            "The file needs a village column (and may have full_name, phone, username)",
            problems,
        )
    lines = []
    for number, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() for k in KNOWN}
        if any(values.values()):
            lines.append(ImportLine(number, **values))
    return lines


def username_stem(village_code: str) -> str:
    """A username built from the village code, e.g. 23353-01 → th23353-01."""
    return "th" + re.sub(r"[^a-z0-9._-]", "-", village_code.lower())


def free_username(stem: str, taken: set[str]) -> str:
    """The stem itself, or the stem with the first free -2, -3, … suffix."""
    if stem not in taken:
        return stem
    return next(f"{stem}-{n}" for n in range(2, len(taken) + 3) if f"{stem}-{n}" not in taken)
