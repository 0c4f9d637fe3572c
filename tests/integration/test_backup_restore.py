"""Backups made while the node writes restore every acknowledged tally; a restored node resumes."""

from __future__ import annotations

import asyncio
import os
import random
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import migrate
from backend.db.repositories import snapshots as snapshot_repo
from backend.ops.backup import BackupError, create_backup, restore_backup, verify_backup
from backend.relay.identity import write_key
from backend.relay.loop import Relay
from backend.services.rebuilds import rebuild_pending
from backend.services.restored import resume_after_restore
from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.factories import tally_body, tally_values
from tests.integration.backup_helpers import ChildNode, fresh_database, tallies_stored
from tests.sync_helpers import enroll

VILLAGES = ["23353-01", "23353-02", "23353-03"]


@pytest.fixture
async def restore_target(tmp_path: Path) -> AsyncIterator[str]:
    """Where a restore goes: an empty PostgreSQL database, or '' (the restored data dir)."""
    async for url in fresh_database(tmp_path, None):
        yield url


@pytest.fixture
async def child_database(tmp_path: Path, template_database: str) -> AsyncIterator[str]:
    """A migrated database for a second node."""
    async for url in fresh_database(tmp_path, template_database):
        yield url


def restored_url(target: str, data_dir: Path) -> str:
    """The database a restore laid out."""
    return target or f"sqlite+aiosqlite:///{data_dir / 'xhht.sqlite3'}"


async def test_backup_taken_while_writing_restores_every_acknowledged_tally(
    node: Node, tmp_path: Path, restore_target: str
):
    evidence = node.settings.data_dir / "evidence" / "23353" / "2025" / ("ab" * 32)
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 minh chung")
    acknowledged: list[str] = []
    stop = asyncio.Event()

    async def keep_writing() -> None:
        rng = random.Random(7)
        while not stop.is_set():
            body = tally_body(
                rng.choice(VILLAGES), **tally_values(households_total=rng.randint(120, 400))
            )
            answer = await node.client.post("/api/tallies", json=body, headers=node.auth("admin"))
            assert answer.status_code == 201, answer.text
            acknowledged.append(body["client_uuid"])

    writer = asyncio.create_task(keep_writing())
    while len(acknowledged) < 15:
        await asyncio.sleep(0.01)
    before = list(acknowledged)
    archive = tmp_path / "node.xhht-backup"
    manifest = await asyncio.to_thread(create_backup, node.settings, archive)
    during = len(acknowledged) - len(before)
    while len(acknowledged) < len(before) + during + 5:
        await asyncio.sleep(0.01)
    stop.set()
    await writer

    assert verify_backup(archive).manifest["schema_revision"] == manifest["schema_revision"]
    restored_dir = tmp_path / "restored"
    restore_backup(archive, restored_dir, restore_target)
    db = Database.from_url(restored_url(restore_target, restored_dir))
    try:
        assert set(before) <= await tallies_stored(db)
    finally:
        await db.dispose()
    copy = restored_dir / "evidence" / "23353" / "2025" / ("ab" * 32)
    assert copy.read_bytes() == b"%PDF-1.4 minh chung"
    secret = restored_dir / "secret.key"
    assert secret.read_text() == (node.settings.data_dir / "secret.key").read_text()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


async def test_verify_refuses_a_damaged_archive_and_restore_an_occupied_dir(
    node: Node, tmp_path: Path
):
    archive = tmp_path / "node.xhht-backup"
    create_backup(node.settings, archive)
    damaged = tmp_path / "damaged.xhht-backup"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        verify_backup(damaged)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "xhht.sqlite3").write_bytes(b"live node")
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, occupied)
    assert (occupied / "xhht.sqlite3").read_bytes() == b"live node"


async def district_total(parent: Node) -> tuple[int, int]:
    """(revision, households) of the district snapshot the province keeps from node 610."""
    await parent.rebuild()
    async with parent.db.read() as conn:
        kept = await snapshot_repo.get(conn, "610", "610", 2025)
    assert kept is not None
    return kept.revision, kept.totals["households_total"]


async def push_from(child: ChildNode, parent: Node) -> int:
    """Fold the child's changes and push them to the parent in-process."""
    await rebuild_pending(child.db, load_framework(), "610")
    return await Relay(child.db, child.settings, parent.client).push_once()


def child_settings(data_dir: Path, url: str) -> Settings:
    """Node 610 under the province node of the test."""
    env = {
        "XHHT_DATA_DIR": str(data_dir),
        "XHHT_DATABASE_URL": url,
        "XHHT_UNIT": "610",
        "XHHT_PARENT_URL": "http://testserver",
        "XHHT_PARENT_UNIT": "62",
    }
    return Settings.from_env(env)


async def test_a_restored_node_resumes_pushing_and_nothing_counts_twice_above(
    node: Node, tmp_path: Path, child_database: str, restore_target: str, password_hash: str
):
    key = await enroll(node, "610")
    child_dir = tmp_path / "child"
    write_key(child_dir, key)
    child = ChildNode(child_settings(child_dir, child_database), Database.from_url(child_database))
    await child.seed(password_hash)
    try:
        for village, households in zip(VILLAGES, (100, 200, 300), strict=True):
            body = tally_body(village, **tally_values(households_total=households))
            assert (await child.submit(body)).status_code == 201
        assert await push_from(child, node) >= 1
        first = await district_total(node)
        assert first[1] == 600
        archive = tmp_path / "child.xhht-backup"
        create_backup(child.settings, archive)
        later = tally_body("23353-01", **tally_values(households_total=1000))
        assert (await child.submit(later)).status_code == 201  # lost with the machine
        await push_from(child, node)
        lost = await district_total(node)
        assert lost[1] == 1500 and lost[0] > first[0]
    finally:
        await child.close()

    restored_dir = tmp_path / "restored"
    restore_backup(archive, restored_dir, restore_target)
    settings = child_settings(restored_dir, restored_url(restore_target, restored_dir))
    restored = ChildNode(settings, Database.from_url(settings.database_url))
    try:
        await migrate(restored.db.engine)
        assert await resume_after_restore(restored.db, "610") >= 1
        restored.admin_token = child.admin_token  # the secret came back with the backup
        assert await push_from(restored, node) >= 1
        resumed = await district_total(node)
        assert resumed[1] == 600 and resumed[0] > lost[0]
        body = tally_body("23353-02", **tally_values(households_total=250))
        assert (await restored.submit(body)).status_code == 201
        assert await push_from(restored, node) >= 1
        latest = await district_total(node)
        assert latest[1] == 650 and latest[0] > resumed[0]
    finally:
        await restored.close()
    assert os.access(restored_dir / "node_ed25519.pem", os.R_OK)
