"""Run Alembic migrations programmatically, for `xhht migrate` and for `serve` on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class SchemaNewerThanCode(RuntimeError):
    """The database was migrated by a newer version of the node than this one."""


def alembic_config(url: str = "") -> Config:
    """An Alembic config that needs no ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def code_head() -> str:
    """The newest schema revision this code knows."""
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def unknown_revisions(connection: Connection) -> list[str]:
    """Revisions recorded in the database that this code's migrations do not contain."""
    script = ScriptDirectory.from_config(alembic_config())
    unknown = []
    for revision in MigrationContext.configure(connection).get_current_heads():
        try:
            script.get_revision(revision)
        except CommandError:
            unknown.append(revision)
    return unknown


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


async def migrate(engine: AsyncEngine) -> None:
    """Upgrade the database behind this engine to the newest revision (never downgrade)."""

    def _upgrade(connection: Connection) -> None:
        refuse_newer_schema(connection)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at (None: empty database)."""
    async with engine.connect() as connection:
        heads = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return heads[0] if heads else None
