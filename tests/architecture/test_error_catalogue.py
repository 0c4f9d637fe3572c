"""Every stable problem code the node can answer with is listed in docs/errors.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ERROR_CLASSES = {"InvalidInput", "NotFound", "Forbidden", "Unauthenticated", "Conflict",
                 "RateLimited", "TooLarge", "UnsupportedType", "DomainError"}


def raised_codes() -> set[str]:
    """First string argument of every domain error constructed in backend/."""
    codes: set[str] = set()
    for path in (ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ERROR_CLASSES and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                codes.add(node.args[0].value)
    return codes


def documented_codes() -> set[str]:
    """Codes in the first column of the tables of docs/errors.md."""
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))


def test_every_raised_code_is_documented():
    assert sorted(raised_codes() - documented_codes()) == []


def test_the_catalogue_lists_no_code_that_no_longer_exists():
    from backend.web.problems import HTTP_MESSAGES

    framework_codes = {code for code, _vi, _en in HTTP_MESSAGES.values()} | {
        "internal_error", "http_error", "body_invalid", "body_malformed"}
    assert sorted(documented_codes() - raised_codes() - framework_codes) == []
