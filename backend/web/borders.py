"""Checks every route shares before its handler runs: years inside the framework's window."""

from __future__ import annotations

from typing import Any

from litestar import Request

from backend.core.border_checks import check_year


async def check_year_parameters(request: Request[Any, Any, Any]) -> None:
    """A `year` path or query parameter outside the framework's window is a 422 problem."""
    path_year = request.path_params.get("year")
    query = request.scope.get("query_string", b"")
    if path_year is None and b"year" not in query and b"%" not in query:
        return  # most requests: no year anywhere, nothing to parse
    framework = request.app.state.framework
    for value in (path_year, request.query_params.get("year")):
        if value is None:
            continue
        try:
            year = int(value)
        except (TypeError, ValueError):
            continue  # not a number: Litestar's own validation answers 400 request_invalid
        check_year(framework, year)
