"""A second node database and an empty restore target, on whichever database the leg runs."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text

from backend.config import Settings
from backend.db.database import Database
from backend.db.repositories import users as user_repo
from backend.services.units import import_units, parse_units_csv
from backend.web.app import create_app
from backend.web.tokens import issue_access_token
from shared_schema.framework_loader import load_framework
from tests.conftest import FIXTURES, TEST_URL, _exec_autocommit, is_postgres


async def fresh_database(tmp_path: Path, template: str | None) -> AsyncIterator[str]:
    """A new database: a copy of the migrated template, or empty when template is None."""
    if is_postgres():
        name = f"b_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        await _exec_autocommit(TEST_URL, f"CREATE DATABASE {name}{clause}")
        yield TEST_URL.rsplit("/", 1)[0] + f"/{name}"
        await _exec_autocommit(TEST_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    path = tmp_path / f"{uuid.uuid4().hex[:8]}.sqlite3"
    if template:
        source, target = sqlite3.connect(template), sqlite3.connect(path)
        source.backup(target)
        source.close()
        target.close()
    yield f"sqlite+aiosqlite:///{path}" if template else ""


async def tallies_stored(db: Database) -> set[str]:
    """Client UUIDs of every stored tally revision."""
    async with db.read() as conn:
        return set((await conn.execute(text("SELECT client_uuid FROM tallies"))).scalars())


class ChildNode:
    """A district node (610) with its own database, reached in-process like the test node."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings, self.db = settings, db
        app = create_app(settings, migrate_on_start=False, database=db)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        self.client = httpx.AsyncClient(transport=transport, base_url="http://child")
        self.admin_token = ""

    async def seed(self, password_hash: str) -> None:
        """Units of Đắk Glei and an admin at 610."""
        text_csv = (FIXTURES / "units-kontum-dakglei.csv").read_text(encoding="utf-8")
        await import_units(self.db, load_framework(), parse_units_csv(text_csv))
        async with self.db.write() as conn:
            user_id = await user_repo.insert(
                conn,
                username="admin610",
                password_hash=password_hash,
                role="admin",
                unit_code="610",
                active=True,
                created_at=datetime.now(UTC),
            )
            path = (await user_repo.by_id(conn, user_id)).unit_path  # type: ignore[union-attr]
        self.admin_token = issue_access_token(
            self.settings.secret,
            900,
            user_id,
            "admin610",
            "admin",
            "610",
            path,
            "test-device",
            issuer=self.settings.unit,
        )

    async def submit(self, body: dict[str, object]) -> httpx.Response:
        """POST a tally as the district admin."""
        headers = {"Authorization": f"Bearer {self.admin_token}"}
        return await self.client.post("/api/tallies", json=body, headers=headers)

    async def close(self) -> None:
        """Close the client and the database."""
        await self.client.aclose()
        await self.db.dispose()
