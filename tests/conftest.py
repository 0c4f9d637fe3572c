"""Fixtures: a fresh migrated database per test (PostgreSQL or SQLite), a node app, users."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import migrate
from backend.db.repositories import users as user_repo
from backend.services.auth import HASHER
from backend.services.units import UnitLine, import_units, parse_units_csv
from backend.web.app import create_app
from backend.web.tokens import issue_access_token
from shared_schema.framework_loader import load_framework

logging.getLogger("httpx").setLevel(logging.WARNING)
FIXTURES = Path(__file__).resolve().parent.parent / "shared_schema" / "fixtures"
PASSWORD = "mat-khau-thu-nghiem"
TEST_URL = os.environ.get("XHHT_TEST_DATABASE_URL", "sqlite")


def is_postgres() -> bool:
    """True on the PostgreSQL leg of the suite."""
    return TEST_URL.startswith("postgresql")


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash shared by every test user (hashing is deliberately slow)."""
    return HASHER.hash(PASSWORD)


async def _exec_autocommit(url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE outside a transaction."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()


@pytest.fixture(scope="session")
async def template_database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A migrated template: a database on PostgreSQL, a file on SQLite."""
    if is_postgres():
        name = f"xhht_template_{uuid.uuid4().hex[:8]}"
        await _exec_autocommit(TEST_URL, f"CREATE DATABASE {name}")
        url = TEST_URL.rsplit("/", 1)[0] + f"/{name}"
        engine = create_async_engine(url)
        await migrate(engine)
        await engine.dispose()
        yield name
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    await migrate(engine)
    await engine.dispose()
    yield str(path)


@pytest.fixture
async def database_url(template_database: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh copy of the migrated template for one test."""
    if is_postgres():
        name = f"t_{uuid.uuid4().hex[:12]}"
        await _exec_autocommit(TEST_URL, f"CREATE DATABASE {name} TEMPLATE {template_database}")
        yield TEST_URL.rsplit("/", 1)[0] + f"/{name}"
        await _exec_autocommit(TEST_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    path = tmp_path / "node.sqlite3"
    shutil.copy(template_database, path)
    yield f"sqlite+aiosqlite:///{path}"


@dataclass
class Node:
    """A node app under test with helpers to act as its users."""

    client: httpx.AsyncClient
    db: Database
    settings: Settings
    users: dict[str, tuple[int, str, str, str]] = field(default_factory=dict)

    def token(self, username: str) -> str:
        """A valid access token for a seeded user (skips the slow password check)."""
        user_id, role, unit, path = self.users[username]
        return issue_access_token(
            self.settings.secret,
            900,
            user_id,
            username,
            role,
            unit,
            path,
            "test-device",
            issuer=self.settings.unit,
        )

    def auth(self, username: str) -> dict[str, str]:
        """Authorization header for a seeded user."""
        return {"Authorization": f"Bearer {self.token(username)}"}

    async def rebuild(self) -> int:
        """Fold queued changes into snapshots, as the node's background rebuilder does."""
        from backend.services.rebuilds import rebuild_pending

        return await rebuild_pending(self.db, load_framework(), self.settings.unit)

    async def add_user(self, username: str, role: str, unit: str, password_hash: str) -> None:
        """Insert a user directly with a precomputed hash."""
        async with self.db.write() as conn:
            user_id = await user_repo.insert(
                conn,
                username=username,
                password_hash=password_hash,
                role=role,
                unit_code=unit,
                active=True,
                created_at=datetime.now(UTC),
            )
            row = await user_repo.by_id(conn, user_id)
        assert row is not None
        self.users[username] = (user_id, role, unit, row.unit_path)


# Users seeded on every test node: username → (role, unit code).
STANDARD_USERS = {
    "admin": ("admin", "62"),
    "tinh": ("province_officer", "62"),
    "huyen": ("district_officer", "610"),
    "xa_dakpek": ("commune_officer", "23353"),
    "xa_dakman": ("commune_officer", "23347"),
    "thon_dakpek_1": ("village_head", "23353-01"),
    "thon_dakpek_2": ("village_head", "23353-02"),
    "xem": ("viewer", "610"),
}


@asynccontextmanager
async def node_for(
    database_url: str, data_dir: Path, unit: str, lines: list[UnitLine]
) -> AsyncIterator[Node]:
    """A node app whose own unit is `unit`, holding these units, reached in-process over HTTP."""
    settings = Settings.from_env(
        {"XHHT_DATA_DIR": str(data_dir), "XHHT_DATABASE_URL": database_url, "XHHT_UNIT": unit}
    )
    db = Database.from_url(database_url)
    app = create_app(settings, migrate_on_start=False, database=db)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await import_units(db, load_framework(), lines)
        yield Node(client, db, settings)
    await db.dispose()


def fixture_units(name: str) -> list[UnitLine]:
    """The units of a fixture CSV."""
    return parse_units_csv((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
async def node(database_url: str, tmp_path: Path, password_hash: str) -> AsyncIterator[Node]:
    """A node hosting Kon Tum → Đắk Glei → communes → villages, with a user of every role."""
    lines = fixture_units("units-kontum-dakglei.csv")
    async with node_for(database_url, tmp_path / "data", "62", lines) as test_node:
        for username, (role, unit) in STANDARD_USERS.items():
            await test_node.add_user(username, role, unit, password_hash)
        yield test_node
