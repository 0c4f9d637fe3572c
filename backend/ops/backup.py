"""`xhht backup`, `--verify` and `xhht restore`: one tar file with the database, keys and evidence.

Layout of the archive: `manifest.json` (format, node, schema revision, every member's size and
SHA-256), `database.sqlite3` (SQLite online backup API: a consistent copy while the node writes)
or `database.pgdump` (pg_dump custom format, one snapshot), and `data/…` (secret, keys, parent
link, metrics token, evidence files). Evidence is copied after the database, and files are stored
by content hash and never rewritten, so every file a backed-up row names is in the archive.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from backend.config import Settings
from backend.ops.pg_tools import libpq_url, pg_tool

FORMAT = "xhht-backup/1"
SQLITE_MEMBER, PG_MEMBER = "database.sqlite3", "database.pgdump"
# Files of the data dir that are not copied as files: the live database and logs.
SKIPPED_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".log", ".lock")


class BackupError(Exception):
    """A backup that cannot be made, verified or restored, with the reason for the operator."""


@dataclass(frozen=True)
class Verified:
    """What a verified archive holds."""

    manifest: dict[str, object]
    members: int
    total_bytes: int


def _sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sqlite_path(database_url: str) -> Path:
    """The file behind a sqlite+aiosqlite:/// URL."""
    return Path(database_url.split(":///", 1)[1])


def _dump_sqlite(database_url: str, target: Path) -> None:
    """Copy the live database in one step of the online backup API (readers and writers go on)."""
    source = sqlite3.connect(f"file:{sqlite_path(database_url)}?mode=ro", uri=True, timeout=30)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


def _dump_postgres(database_url: str, target: Path) -> None:
    """pg_dump in custom format: one consistent snapshot, no owners or privileges."""
    command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    result = subprocess.run(
        [*command, f"--file={target}", f"--dbname={libpq_url(database_url)}"],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _schema_revision(database_url: str, dump: Path) -> str:
    """The Alembic revision the dumped database is at (read from the copy when SQLite)."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(dump) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else ""
    out = subprocess.run(
        [
            pg_tool("psql"),
            "-At",
            "-c",
            "SELECT version_num FROM alembic_version",
            libpq_url(database_url),
        ],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _data_files(data_dir: Path) -> list[Path]:
    """Every file of the data dir a restored node needs (keys, secret, link, evidence)."""
    return sorted(
        p
        for p in data_dir.rglob("*")
        if p.is_file() and not p.name.endswith(SKIPPED_SUFFIXES) and ".tmp" not in p.suffixes
    )


def create_backup(settings: Settings, archive: Path) -> dict[str, object]:
    """Write the archive (via a temporary file, renamed at the end) and return its manifest."""
    archive = archive.resolve()
    with tempfile.TemporaryDirectory(dir=archive.parent) as work:
        sqlite = settings.is_sqlite
        dump = Path(work) / (SQLITE_MEMBER if sqlite else PG_MEMBER)
        started = datetime.now(UTC)
        (_dump_sqlite if sqlite else _dump_postgres)(settings.database_url, dump)
        members = [(dump.name, dump)]
        members += [
            (f"data/{p.relative_to(settings.data_dir).as_posix()}", p)
            for p in _data_files(settings.data_dir)
        ]
        manifest: dict[str, object] = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "unit": settings.unit,
            "database": "sqlite" if sqlite else "postgresql",
            "schema_revision": _schema_revision(settings.database_url, dump),
            "files": {
                name: {"size": p.stat().st_size, "sha256": _sha256(p)} for name, p in members
            },
        }
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)
        partial.replace(archive)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add an in-memory member."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files with relative, non-escaping names only."""
    members = tar.getmembers()
    for member in members:
        parts = Path(member.name).parts
        if not member.isfile() or member.name.startswith("/") or ".." in parts:
            raise BackupError(f"unexpected member in archive: {member.name}")
    return members


def verify_backup(archive: Path, into: Path | None = None) -> Verified:
    """Check the manifest, every checksum and the database copy; optionally extract into `into`."""
    with tempfile.TemporaryDirectory() as work:
        target = into or Path(work)
        try:
            with tarfile.open(archive, "r") as tar:
                members = _safe_members(tar)
                tar.extractall(target, members=members, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"not a readable backup archive: {exc}") from exc
        manifest = _manifest(target)
        files = manifest["files"]
        assert isinstance(files, dict)
        extracted = {m.name for m in members} - {"manifest.json"}
        if extracted != set(files):
            raise BackupError(f"archive members differ from the manifest: {extracted ^ set(files)}")
        for name, facts in files.items():
            if _sha256(target / name) != facts["sha256"]:
                raise BackupError(f"checksum mismatch: {name}")
        _check_database(target, str(manifest["database"]))
        total = sum(int(f["size"]) for f in files.values())
        return Verified(manifest, len(files), total)


def _manifest(root: Path) -> dict[str, object]:
    """The manifest of an extracted archive, checked for its format."""
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("the archive has no readable manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format: {manifest.get('format')}")
    return dict(manifest)


def _check_database(root: Path, kind: str) -> None:
    """SQLite: integrity_check passes; PostgreSQL: pg_restore can list the dump."""
    if kind == "sqlite":
        with sqlite3.connect(root / SQLITE_MEMBER) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"database copy is damaged: {verdict}")
        return
    listing = subprocess.run(
        [pg_tool("pg_restore"), "--list", str(root / PG_MEMBER)], capture_output=True, text=True
    )
    if listing.returncode:
        raise BackupError(f"database dump is unreadable: {listing.stderr.strip()}")


def _empty_dir(data_dir: Path) -> None:
    """Restore only into a new or empty data dir: never over a node's live files."""
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"{data_dir} is not empty: restore into a new, empty data dir")
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)


def restore_backup(archive: Path, data_dir: Path, database_url: str = "") -> dict[str, object]:
    """Verify the archive, then lay out its files and database; returns the manifest.

    SQLite archives go to `database_url` when it names a SQLite file, else data_dir/xhht.sqlite3;
    PostgreSQL archives need `database_url` naming an empty database.
    """
    data_dir = data_dir.resolve()
    _empty_dir(data_dir)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        verified = verify_backup(archive, into=staging)
        kind = verified.manifest["database"]
        if kind == "sqlite":
            _restore_sqlite(staging, data_dir, database_url)
        else:
            _restore_postgres(staging, database_url)
        for source in sorted((staging / "data").rglob("*")) if (staging / "data").exists() else []:
            destination = data_dir / source.relative_to(staging / "data")
            if source.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                source.replace(destination)
        _owner_only(data_dir)
        return verified.manifest
    finally:
        _remove_tree(staging)


def _restore_sqlite(staging: Path, data_dir: Path, database_url: str) -> None:
    """Put the database copy where the restored node will look for it."""
    if database_url and not database_url.startswith("sqlite"):
        raise BackupError("this backup holds a SQLite database; XHHT_DATABASE_URL is not SQLite")
    target = sqlite_path(database_url) if database_url else data_dir / "xhht.sqlite3"
    if target.exists():
        raise BackupError(f"{target} already exists: restore into a new database file")
    target.parent.mkdir(parents=True, exist_ok=True)
    (staging / SQLITE_MEMBER).replace(target)
    target.chmod(0o600)


def _restore_postgres(staging: Path, database_url: str) -> None:
    """pg_restore into an empty database, all or nothing."""
    if not database_url.startswith("postgresql"):
        raise BackupError(
            "this backup holds a PostgreSQL dump: set XHHT_DATABASE_URL (or "
            "--database-url) to an empty PostgreSQL database"
        )
    url = libpq_url(database_url)
    tables = subprocess.run(
        [
            pg_tool("psql"),
            "-At",
            "-c",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            url,
        ],
        capture_output=True,
        text=True,
    )
    if tables.returncode or tables.stdout.strip() != "0":
        raise BackupError(
            "the target PostgreSQL database is not empty (or not reachable): "
            f"{tables.stderr.strip() or 'it already has tables'}"
        )
    restored = subprocess.run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(staging / PG_MEMBER),
        ],
        capture_output=True,
        text=True,
    )
    if restored.returncode:
        raise BackupError(f"pg_restore failed: {restored.stderr.strip()}")


def _owner_only(data_dir: Path) -> None:
    """Keys and secrets readable by the node's user only."""
    for path in data_dir.iterdir():
        if path.is_file():
            path.chmod(0o600)


def _remove_tree(path: Path) -> None:
    """Remove the staging folder and whatever is left in it."""
    shutil.rmtree(path, ignore_errors=True)
