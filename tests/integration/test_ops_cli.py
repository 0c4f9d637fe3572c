"""The operator's commands as typed: backup, --verify, restore, and migrate on a newer schema."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from backend.config import REPO_ROOT
from backend.db.database import Database
from tests.conftest import Node
from tests.factories import tally_body
from tests.integration.backup_helpers import fresh_database, tallies_stored


def xhht(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run one `xhht` command with a node's environment."""
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def node_env(node: Node) -> dict[str, str]:
    """The environment the test node runs with."""
    return {
        "XHHT_DATA_DIR": str(node.settings.data_dir),
        "XHHT_DATABASE_URL": node.settings.database_url,
        "XHHT_UNIT": node.settings.unit,
    }


@pytest.fixture
async def restore_target(tmp_path: Path) -> AsyncIterator[str]:
    """An empty PostgreSQL database, or '' on SQLite."""
    async for url in fresh_database(tmp_path, None):
        yield url


async def test_backup_verify_and_restore_from_the_command_line(
    node: Node, tmp_path: Path, restore_target: str
):
    body = tally_body()
    assert (
        await node.client.post("/api/tallies", json=body, headers=node.auth("admin"))
    ).is_success
    archive = tmp_path / "nightly.xhht-backup"
    made = xhht(node_env(node), "backup", str(archive))
    assert made.returncode == 0, made.stderr
    checked = xhht(node_env(node), "backup", "--verify", str(archive))
    assert checked.returncode == 0 and "backup ok" in checked.stdout, checked.stderr
    target = tmp_path / "new-node"
    args = ["restore", str(archive), "--data-dir", str(target)]
    restored = xhht({}, *args, *(["--database-url", restore_target] if restore_target else []))
    assert restored.returncode == 0, restored.stderr
    url = restore_target or f"sqlite+aiosqlite:///{target / 'xhht.sqlite3'}"
    db = Database.from_url(url)
    try:
        assert body["client_uuid"] in await tallies_stored(db)
    finally:
        await db.dispose()
    again = xhht({}, *args, *(["--database-url", restore_target] if restore_target else []))
    assert again.returncode == 2 and "not empty" in again.stderr


async def test_migrate_refuses_a_database_from_a_newer_release(node: Node):
    async with node.db.write() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    answer = xhht(node_env(node), "migrate")
    assert answer.returncode == 3
    assert "0999" in answer.stderr and "newer than this software" in answer.stderr
    assert "Traceback" not in answer.stderr
