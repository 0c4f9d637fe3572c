"""Find PostgreSQL's client tools (pg_dump, pg_restore) and speak their URL dialect."""

from __future__ import annotations

import glob
import shutil
from pathlib import Path


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client program: PATH first, then Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise FileNotFoundError(
        f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client)"
    )


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq understands it (no +asyncpg driver suffix)."""
    scheme, sep, rest = database_url.partition("://")
    return f"{scheme.split('+')[0]}{sep}{rest}"


def pg_bin_dir() -> Path:
    """The folder holding pg_dump (for error messages and the doctor)."""
    return Path(pg_tool("pg_dump")).parent
