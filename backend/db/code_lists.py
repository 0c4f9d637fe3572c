"""`column IN (codes)` for lists of thousands: one array parameter on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement


def one_of(conn: AsyncConnection, column: Any, codes: Sequence[str]) -> ColumnElement[bool]:
    """The column equals one of the codes. PostgreSQL gets `= ANY(:codes)`, one array bound
    once; an expanded IN renders and casts a parameter per code (3,321 communes: ~15 ms)."""
    if conn.dialect.name == "postgresql":
        codes_param = bindparam(None, list(codes), type_=ARRAY(String))
        return cast(ColumnElement[bool], column == any_(codes_param))
    return cast(ColumnElement[bool], column.in_(list(codes)))
