"""Subtree tests on materialised unit paths without LIKE patterns (nothing in a code is special)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement


def path_under(path: Any, prefix: Any) -> ColumnElement[bool]:
    """SQL for `path` lies in the subtree `prefix` (both '/a/b/' paths): a plain prefix compare."""
    return cast(ColumnElement[bool], func.substr(path, 1, func.length(prefix)) == prefix)
