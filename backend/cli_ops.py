"""`xhht backup`, `xhht restore` and `xhht doctor`: the operator's commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import migrate


def cmd_backup(args: argparse.Namespace, settings: Settings) -> None:
    """Make a consistent backup while the node serves, or verify an existing one."""
    from backend.ops.backup import BackupError, create_backup, verify_backup  # cold: tar, sqlite3

    archive = Path(args.file)
    try:
        if args.verify:
            verified = verify_backup(archive)
            manifest = verified.manifest
            print(
                f"backup ok: {verified.members} files, {verified.total_bytes} bytes, "
                f"{manifest['database']} at schema {manifest['schema_revision']}, "
                f"unit {manifest['unit'] or '-'}, made {manifest['created_at']}"
            )
            return
        manifest = create_backup(settings, archive)
    except (BackupError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    files: Any = manifest["files"]
    print(f"backup written: {archive} ({len(files)} files, schema {manifest['schema_revision']})")


def cmd_restore(args: argparse.Namespace, settings: Settings) -> None:
    """Restore into an empty data dir, bring the schema up to date, re-announce to the parent."""
    from backend.ops.backup import BackupError, restore_backup  # cold: tar, sqlite3

    data_dir = Path(args.data_dir).resolve()
    url = args.database_url or ""
    try:
        manifest = restore_backup(Path(args.file), data_dir, url)
    except (BackupError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    restored = Settings.from_env(
        {"XHHT_DATA_DIR": str(data_dir), **({"XHHT_DATABASE_URL": url} if url else {})}
    )
    unit = settings.unit or str(manifest.get("unit") or "")
    stamped = asyncio.run(_resume(restored, unit))
    print(
        f"restored into {data_dir} (schema {manifest['schema_revision']}, unit {unit or '-'}); "
        f"{stamped} snapshots will be pushed again with new revisions"
    )


async def _resume(settings: Settings, unit: str) -> int:
    """Migrate the restored database and re-stamp the node's own snapshots."""
    from backend.services.restored import resume_after_restore

    db = Database.from_url(settings.database_url)
    try:
        await migrate(db.engine)
        return await resume_after_restore(db, unit)
    finally:
        await db.dispose()


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> None:
    """Check the node and say what to do about each problem; exit 1 when something failed."""
    from backend.ops.doctor import print_report, run_checks

    results = asyncio.run(run_checks(settings, timeout=args.timeout))
    print_report(results)
    if any(r.status == "fail" for r in results):
        raise SystemExit(1)


def ops_parsers(sub: Any) -> None:
    """Add backup, restore and doctor to the `xhht` parser."""
    backup = sub.add_parser("backup", help="consistent backup of database, keys and evidence")
    backup.add_argument("file", help="archive to write (or to check with --verify)")
    backup.add_argument("--verify", action="store_true", help="check an existing archive")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup into an empty data dir")
    restore.add_argument("file")
    restore.add_argument("--data-dir", required=True, help="new, empty data dir")
    restore.add_argument(
        "--database-url",
        default="",
        help="target database (an empty PostgreSQL database for a PostgreSQL backup)",
    )
    restore.set_defaults(func=cmd_restore)
    doctor = sub.add_parser("doctor", help="check configuration, database, keys, parent, disk")
    doctor.add_argument("--timeout", type=float, default=5.0, help="seconds for network checks")
    doctor.set_defaults(func=cmd_doctor)
