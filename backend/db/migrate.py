"""Run Alembic migrations programmatically, for `xhht migrate` and for `serve` on start.

Alembic (with Mako, Pygments and every SQLAlchemy dialect) costs a long-running node about 20 MB, so
it is imported only when the schema is actually behind: the revisions this code ships are read from
the version files' text, and the database's from its alembic_version table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"""^revision(?:\s*:[^=]*)?=\s*["']([^"']+)["']""", re.M)
_DOWN = re.compile(r"""^down_revision(?:\s*:[^=]*)?=\s*(?:["']([^"']+)["']|None)""", re.M)


class SchemaNewerThanCode(RuntimeError):
    """The database was migrated by a newer version of the node than this one."""


def alembic_config(url: str = "") -> Config:
    """An Alembic config that needs no ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def parse_version_file(path: Path) -> tuple[str, tuple[str, ...]]:
    """One version file's revision and the revision it follows, read as text (never executed)."""
    text = path.read_text(encoding="utf-8")
    revision, down = _REVISION.search(text), _DOWN.search(text)
    if revision is None or down is None:
        raise ValueError(f"{path.name}: no plain `revision` / `down_revision` string")
    return revision.group(1), (down.group(1),) if down.group(1) else ()


def parents(down_revision: str | Sequence[str] | None) -> tuple[str, ...]:
    """An Alembic `down_revision` (none, one, or a merge's several) as a tuple."""
    if down_revision is None:
        return ()
    return (down_revision,) if isinstance(down_revision, str) else tuple(down_revision)


def _alembic_revisions() -> dict[str, tuple[str, ...]]:
    """The same map from Alembic itself, for version files the text reading cannot follow."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision: parents(rev.down_revision) for rev in script.walk_revisions()}


@cache
def known_revisions() -> dict[str, tuple[str, ...]]:
    """Every revision this code ships, mapped to the revisions it follows."""
    try:
        return dict(parse_version_file(path) for path in sorted(VERSIONS_DIR.glob("*.py")))
    except ValueError:  # e.g. a merge revision (a tuple of parents): ask Alembic
        return _alembic_revisions()


def code_head() -> str:
    """The newest schema revision this code knows (the one no other revision follows)."""
    known = known_revisions()
    heads = set(known) - {down for downs in known.values() for down in downs}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def stored_revisions(connection: Connection) -> list[str]:
    """The revisions recorded in the database (none: an empty database)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    rows = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")
    return [str(row[0]) for row in rows]


def unknown_revisions(connection: Connection) -> list[str]:
    """Revisions recorded in the database that this code's migrations do not contain."""
    known = known_revisions()
    return [revision for revision in stored_revisions(connection) if revision not in known]


def refuse_newer_schema(connection: Connection) -> None:
    """Stop before touching a database that a newer node has migrated."""
    unknown = unknown_revisions(connection)
    if unknown:
        raise SchemaNewerThanCode(
            f"Cơ sở dữ liệu ở phiên bản lược đồ {', '.join(unknown)}, mới hơn phần mềm này "
            f"(mới nhất: {code_head()}). Hãy cài phiên bản XHHT mới hơn, hoặc khôi phục bản sao "
            f"lưu tương ứng. / The database is at schema revision {', '.join(unknown)}, newer "
            f"than this software (newest known: {code_head()}). Install the newer XHHT release "
            f"that migrated it, or restore a backup made with this release."
        )


def schema_behind(connection: Connection) -> bool:
    """Whether an upgrade is due (refusing, first, a schema newer than this code)."""
    refuse_newer_schema(connection)
    return stored_revisions(connection) != [code_head()]


def _upgrade(connection: Connection) -> None:
    """Apply the pending migrations on this connection (the only place Alembic is imported)."""
    if not schema_behind(connection):
        return
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Upgrade the database behind this engine to the newest revision (never downgrade)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def needs_migration(engine: AsyncEngine) -> bool:
    """Whether `migrate` has work to do; raises SchemaNewerThanCode for a newer schema."""
    async with engine.connect() as connection:
        return await connection.run_sync(schema_behind)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at (None: empty database)."""
    async with engine.connect() as connection:
        heads = await connection.run_sync(stored_revisions)
    return heads[0] if heads else None
