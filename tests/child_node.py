"""A child node beside the test parent: its own migrated database, key and settings."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend.config import Settings
from backend.db.database import Database
from backend.db.repositories import snapshots as snapshot_repo
from backend.relay.identity import write_key
from shared_schema.sync import Snapshot
from tests.conftest import TEST_URL, _exec_autocommit, is_postgres


@dataclass
class Child:
    """A child node's database and settings (its relay is built by each test)."""

    db: Database
    settings: Settings

    async def queue(self, *snaps: Snapshot) -> None:
        """Put snapshots in the child's outbox, as its rebuilds and receipts do."""
        async with self.db.write() as conn:
            for snap in snaps:
                await snapshot_repo.enqueue(conn, snap, datetime.now(UTC))


@pytest.fixture
async def child_url(template_database: str, tmp_path: Path) -> AsyncIterator[str]:
    """A second fresh database, for the child."""
    if is_postgres():
        name = f"c_{uuid.uuid4().hex[:12]}"
        await _exec_autocommit(TEST_URL, f"CREATE DATABASE {name} TEMPLATE {template_database}")
        yield TEST_URL.rsplit("/", 1)[0] + f"/{name}"
        await _exec_autocommit(TEST_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    path = tmp_path / "child.sqlite3"
    shutil.copy(template_database, path)
    yield f"sqlite+aiosqlite:///{path}"


def child_settings(url: str, data_dir: Path, key: Ed25519PrivateKey, **env: str) -> Settings:
    """Settings of the district 610 node under the test province, with its key on disk."""
    write_key(data_dir, key)
    return Settings.from_env(
        {
            "XHHT_DATA_DIR": str(data_dir),
            "XHHT_DATABASE_URL": url,
            "XHHT_UNIT": "610",
            "XHHT_PARENT_URL": "http://testserver",
            "XHHT_PARENT_UNIT": "62",
            "XHHT_RELAY_INTERVAL": "0.05",
            "XHHT_RELAY_QUARANTINE_AFTER": "3",
            **env,
        }
    )
