"""The `xhht` command: serve, migrate, import units, add users, federation and demo."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from backend.cli_decisions import decisions_parsers
from backend.cli_ops import ops_parsers
from backend.cli_plans import plan_parsers
from backend.cli_queues import queue_parsers
from backend.cli_sync import cmd_units_move, federation_parsers
from backend.cli_users import user_parsers
from backend.config import Settings
from backend.core.errors import DomainError
from backend.db.database import Database
from backend.db.migrate import SchemaNewerThanCode, migrate, needs_migration
from backend.ops.urls import redact_url
from shared_schema.framework_loader import load_framework

WORKER_START_SECONDS = 90


async def _with_db(settings: Settings, work: Callable[[Database], Awaitable[None]]) -> None:
    """Migrate, run one piece of work against the node's database, and close it."""
    db = Database.from_url(settings.database_url)
    try:
        await migrate(db.engine)
        await work(db)
    finally:
        await db.dispose()


WORKER_HEALTHCHECK_SECONDS = 120


async def _schema_behind(settings: Settings) -> bool:
    """Whether the node's database needs `xhht migrate` (refusing a newer schema)."""
    db = Database.from_url(settings.database_url)
    try:
        return await needs_migration(db.engine)
    finally:
        await db.dispose()


def _migrate_apart(settings: Settings, log_level: str) -> None:
    """Upgrade in a short-lived child so the long-running server never holds Alembic's modules."""
    if not asyncio.run(_schema_behind(settings)):
        return
    command = [sys.executable, "-m", "backend.cli", "migrate", "--log-level", log_level]
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        raise SystemExit(done.returncode)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    """Start the node with uvicorn; several worker processes only on PostgreSQL."""
    import uvicorn

    from backend.web.log_format import configure_logging

    configure_logging(settings.log_format, args.log_level)
    workers = args.workers if not settings.is_sqlite else 1
    _migrate_apart(settings, args.log_level)  # once, before any worker starts
    database = redact_url(settings.database_url)
    print(
        f"XHHT node on http://{args.host}:{args.port}  (database: {database}, workers: {workers})",
        flush=True,
    )
    if workers > 1:
        uvicorn.run(
            "backend.web.asgi:app_from_env",
            factory=True,
            workers=workers,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            log_config=None,
            access_log=False,
            ws="none",
            # a worker importing the app on a busy 2-core office server can take far longer than
            # uvicorn's default 5 s; killed that early, workers are restarted forever
            timeout_worker_healthcheck=WORKER_START_SECONDS,
        )
        return
    from backend.web.app import create_app

    uvicorn.run(
        create_app(settings, migrate_on_start=False),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=None,
        access_log=False,
        ws="none",  # the node serves no websockets: uvicorn need not load a websocket library
    )


async def _no_work(_db: Database) -> None:
    """Nothing beyond the migration _with_db already ran."""


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> None:
    """Bring the database schema up to date (logging each step when given a level)."""
    if args.log_level:
        from backend.web.log_format import configure_logging

        configure_logging(settings.log_format, args.log_level)
    asyncio.run(_with_db(settings, _no_work))
    print("database is up to date")


def cmd_units_import(args: argparse.Namespace, settings: Settings) -> None:
    """Import units from a CSV file or from the vietnam-provinces package."""
    from backend.services.unit_sources import vietnam_provinces_lines
    from backend.services.units import import_units, parse_units_csv

    if args.vietnam_provinces:
        lines = vietnam_provinces_lines(args.province, nation=args.nation)
    elif args.file:
        lines = parse_units_csv(Path(args.file).read_text(encoding="utf-8"))
    else:
        raise SystemExit("give a CSV file or --vietnam-provinces")
    framework = load_framework(settings.framework_id)

    async def run(db: Database) -> None:
        count = await import_units(db, framework, lines)
        print(f"imported {count} units")

    asyncio.run(_with_db(settings, run))


def _parser() -> argparse.ArgumentParser:
    """Sub-commands and their options."""
    parser = argparse.ArgumentParser(prog="xhht", description="Xã hội học tập — node")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the node API and PWA")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="processes (PostgreSQL only)")
    serve.set_defaults(func=cmd_serve)
    migrate_cmd = sub.add_parser("migrate", help="upgrade the database")
    migrate_cmd.add_argument("--log-level", default="", help="log each migration step (e.g. info)")
    migrate_cmd.set_defaults(func=cmd_migrate)
    units = sub.add_parser("units", help="administrative units").add_subparsers(
        dest="units_command", required=True
    )
    imp = units.add_parser("import", help="import code,name,level,parent_code CSV")
    imp.add_argument("file", nargs="?")
    imp.add_argument(
        "--vietnam-provinces", action="store_true", help="official post-2025 provinces and communes"
    )
    imp.add_argument("--province", default="", help="only this province code")
    imp.add_argument(
        "--nation", action="store_true", help="put the provinces under the national unit VN"
    )
    imp.set_defaults(func=cmd_units_import)
    move = units.add_parser("move", help="re-parent a unit, keeping its history")
    move.add_argument("code")
    move.add_argument("--parent", required=True)
    move.set_defaults(func=cmd_units_move)
    plan_parsers(units, sub)
    users = sub.add_parser("users", help="users").add_subparsers(
        dest="users_command", required=True
    )
    user_parsers(users, sub)
    federation_parsers(sub)
    decisions_parsers(sub)
    queue_parsers(sub)
    ops_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    try:
        args.func(args, Settings.from_env())
    except DomainError as exc:
        print(f"error: {exc.message_vi} / {exc.message_en}", file=sys.stderr)
        for problem in exc.errors:
            print(f"  {problem.message_vi} / {problem.message_en}", file=sys.stderr)
        raise SystemExit(2) from exc
    except SchemaNewerThanCode as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(3) from exc


if __name__ == "__main__":
    main()
