"""CLI commands of the plan data: unit mergers (the 2025 reorganisation) and standards imports."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path
from typing import Any

from backend.cli_sync import _system
from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import migrate
from shared_schema.framework_loader import load_framework


def _run(settings: Settings, work: Any) -> None:
    """Migrate, then run one piece of work against the node's database."""

    async def main() -> None:
        db = Database.from_url(settings.database_url)
        try:
            await migrate(db.engine)
            await work(db)
        finally:
            await db.dispose()

    asyncio.run(main())


def cmd_units_merge(args: argparse.Namespace, settings: Settings) -> None:
    """Merge old units into a new one from a date; old ones retired, their history kept."""
    from backend.services.mergers import record_merger
    from shared_schema.plan_wire import MergerIn

    framework = load_framework(settings.framework_id)
    body = MergerIn(args.old, args.into, date.fromisoformat(args.on), args.note)

    async def run(db: Database) -> None:
        actor = await _system(settings)(db)
        for view in await record_merger(db, framework, actor, body):
            print(f"{view.old_code} → {view.new_code} from {view.effective_on} {view.note}".strip())

    _run(settings, run)


def cmd_standards_import(args: argparse.Namespace, settings: Settings) -> None:
    """Import communes' standard levels (unit_code,year,basis,<standard>…) from a CSV file."""
    from backend.services.standards import import_levels

    framework = load_framework(settings.framework_id)
    text = Path(args.file).read_text(encoding="utf-8")

    async def run(db: Database) -> None:
        actor = await _system(settings)(db)
        print(f"imported {await import_levels(db, framework, actor, text)} rows")

    _run(settings, run)


def plan_parsers(units: Any, sub: Any) -> None:
    """`xhht units merge …` and `xhht standards import FILE`."""
    merge = units.add_parser("merge", help="merge old units into a new one from a date")
    merge.add_argument("old", nargs="+", help="old unit codes")
    merge.add_argument("--into", required=True, help="the new unit's code")
    merge.add_argument("--on", required=True, help="effective date YYYY-MM-DD (e.g. 2025-07-01)")
    merge.add_argument("--note", default="")
    merge.set_defaults(func=cmd_units_merge)
    standards = sub.add_parser("standards", help="communes' PCGD–XMC levels").add_subparsers(
        dest="standards_command", required=True
    )
    imp = standards.add_parser("import", help="import unit_code,year,basis,<standard>… CSV")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_standards_import)
