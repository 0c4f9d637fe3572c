"""A node database from the oldest migration, with data, upgrades to head and keeps its data."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import SchemaNewerThanCode, alembic_config, code_head, migrate
from backend.db.repositories import users as user_repo
from backend.services.units import import_units, parse_units_csv
from backend.web.app import create_app
from backend.web.tokens import issue_access_token
from shared_schema.framework_loader import load_framework
from tests.conftest import FIXTURES
from tests.factories import tally_values
from tests.integration.backup_helpers import fresh_database

OLDEST = "0001"


@pytest.fixture
async def empty_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database (no tables at all)."""
    async for url in fresh_database(tmp_path, None):
        yield url or f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"


async def upgrade_to(engine: AsyncEngine, revision: str) -> None:
    """Run the migrations up to one revision only."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def seed_old_node(db: Database, password_hash: str) -> int:
    """Units, a user and a tally written the way the first release stored them."""
    text_csv = (FIXTURES / "units-kontum-dakglei.csv").read_text(encoding="utf-8")
    await import_units(db, load_framework(), parse_units_csv(text_csv))
    now = datetime.now(UTC)
    async with db.write() as conn:
        user_id = await user_repo.insert(
            conn,
            username="thon1",
            password_hash=password_hash,
            role="village_head",
            unit_code="23353-01",
            active=True,
            created_at=now,
        )
        values = {
            "uuid": "0b6f3b53-3c4e-4b8e-9d0e-7a1d2c3b4a51",
            "figures": json.dumps(tally_values(households_total=321)),
            "at": now,
        }
        await conn.execute(
            text(
                "INSERT INTO tallies (client_uuid, village_code, year, revision, status, figures, "
                "flags, content_hash, framework_version, submitted_by, received_at) VALUES "
                "(:uuid, '23353-01', 2025, 1, 'submitted', :figures, '[]', 'old', '2025.1', "
                "'thon1', :at)"
            ),
            values,
        )
        await conn.execute(
            text(
                "INSERT INTO tally_heads (village_code, year, revision) "
                "VALUES ('23353-01', 2025, 1)"
            )
        )
    return user_id


async def test_oldest_schema_with_data_upgrades_to_head_keeping_it(
    empty_url: str, tmp_path: Path, password_hash: str
):
    db = Database.from_url(empty_url)
    try:
        await upgrade_to(db.engine, OLDEST)
        user_id = await seed_old_node(db, password_hash)
        await migrate(db.engine)
        async with db.read() as conn:
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        assert version == code_head()
        settings = Settings.from_env(
            {
                "XHHT_DATA_DIR": str(tmp_path / "data"),
                "XHHT_DATABASE_URL": empty_url,
                "XHHT_UNIT": "62",
            }
        )
        app = create_app(settings, migrate_on_start=False, database=db)
        token = issue_access_token(
            settings.secret,
            900,
            user_id,
            "thon1",
            "village_head",
            "23353-01",
            "/62/610/23353/23353-01/",
            "test-device",
            issuer=settings.unit,
        )
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            listed = await client.get("/api/tallies?unit=23353-01&year=2025", headers=headers)
            assert listed.status_code == 200, listed.text
            [tally] = listed.json()
            assert tally["values"]["households_total"] == 321 and tally["revision"] == 1
            body = {
                "client_uuid": "5d1c9a8e-2b7f-4c3d-8e9f-0a1b2c3d4e5f",
                "village": "23353-01",
                "year": 2025,
                "values": tally_values(households_total=330),
            }
            again = await client.post("/api/tallies", json=body, headers=headers)
            assert again.status_code == 201 and again.json()["revision"] == 2
    finally:
        await db.dispose()


async def test_a_database_newer_than_the_code_is_refused_untouched(empty_url: str):
    engine = create_async_engine(empty_url)
    try:
        await migrate(engine)
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(SchemaNewerThanCode, match=r"9999.*newer than this software"):
            await migrate(engine)
        async with engine.connect() as conn:
            assert (
                await conn.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar() == "9999"
    finally:
        await engine.dispose()
