"""`xhht users add|import` and `xhht targets import`: no password ever on the command line."""

from __future__ import annotations

import argparse
import csv
import getpass
import os
import sys
from pathlib import Path

from backend.config import Settings
from backend.core.access import Principal
from backend.core.activation_codes import grouped
from backend.db.database import Database
from shared_schema.framework_loader import load_framework
from shared_schema.user_wire import ActivationIssued, ImportReport, UserIn


def _run(settings: Settings, work) -> None:  # type: ignore[no-untyped-def]
    """Run work against the node's database (backend.cli imports this module, hence late)."""
    import asyncio

    from backend.cli import _with_db

    asyncio.run(_with_db(settings, work))


async def _system(db: Database, unit: str) -> Principal:
    """The CLI acts as an administrator of the given unit (the node's own unit by default)."""
    from backend.services.units import load_unit

    async with db.read() as conn:
        record = await load_unit(conn, unit)
    return Principal(0, "cli", "admin", record.code, record.path)


def _read_password(args: argparse.Namespace) -> str | None:
    """A password from standard input or a prompt; None when activation codes are asked for."""
    if args.codes_file:
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise SystemExit("give --password-stdin or --codes-file FILE (no terminal to prompt on)")
    first = getpass.getpass("Mật khẩu / password: ")
    if first != getpass.getpass("Nhập lại / again: "):
        raise SystemExit("the two passwords differ")
    return first


def _private_writer(path: str) -> object:
    """A file only the owner can read (it holds activation codes)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="")


CODE_COLUMNS = [
    "username",
    "full_name",
    "unit",
    "unit_name",
    "code",
    "expires_at",
    "activation_url",
]


def _write_codes(path: str, issued: list[ActivationIssued]) -> None:
    """Activation codes as CSV, readable by the file's owner only."""
    with _private_writer(path) as out:  # type: ignore[attr-defined]
        writer = csv.writer(out)
        writer.writerow(CODE_COLUMNS)
        for i in issued:
            when = i.expires_at.date().isoformat()
            row = [i.username, i.full_name, i.unit, i.unit_name, grouped(i.code), when]
            writer.writerow([*row, i.activation_url])


def _base_url(args: argparse.Namespace, settings: Settings) -> str:
    """The address the codes' links open."""
    return (args.url or settings.public_url or "http://127.0.0.1:8000").rstrip("/")


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> None:
    """Create a user with a password from stdin or a prompt, or with an activation code."""
    from backend.services.auth import add_user
    from backend.services.password_policy import password_policy
    from backend.services.users import create_user

    password = _read_password(args)
    if password is not None:
        password_policy().check(password, args.username)

    async def run(db: Database) -> None:
        if password is not None:
            await add_user(db, args.username, args.role, args.unit, password)
            print(f"user {args.username} ({args.role} @ {args.unit}) created")
            return
        actor = await _system(db, settings.unit or args.unit)
        body = UserIn(args.username, args.full_name, args.role, args.unit)
        issued = await create_user(db, settings, actor, body, _base_url(args, settings))
        _write_codes(args.codes_file, [issued])
        print(f"user {args.username} created; activation code written to {args.codes_file}")

    _run(settings, run)


def _print_report(report: ImportReport) -> None:
    """One line per row: created, or its errors."""
    for row in report.rows:
        if row.errors:
            for error in row.errors:
                print(f"  {error.message_vi} / {error.message_en}")
        else:
            print(f"  dòng/row {row.line}: {row.village} {row.village_name} → {row.username}")
    print(f"{report.created} created, {report.invalid} rows with errors")


def cmd_users_import(args: argparse.Namespace, settings: Settings) -> None:
    """Village heads from a CSV; codes go to a private file (and optionally the printable sheet)."""
    from backend.services.activation_sheet import activation_sheet
    from backend.services.user_import import import_users

    text = Path(args.file).read_text(encoding="utf-8")

    async def run(db: Database) -> None:
        actor = await _system(db, args.unit or settings.unit)
        report = await import_users(
            db, settings, actor, text, dry_run=args.dry_run, valid_only=args.valid_only
        )
        _print_report(report)
        if not report.committed:
            return
        created = [r for r in report.rows if r.code]
        issued = [
            ActivationIssued(
                r.username,
                r.full_name,
                r.village,
                r.village_name,
                r.code,
                r.expires_at,
                _activation_link(args, settings, r.code),
            )
            for r in created
            if r.expires_at is not None
        ]
        _write_codes(args.codes_file, issued)
        print(f"activation codes written to {args.codes_file}")
        if args.sheet:
            pdf = await activation_sheet(
                db, settings, actor, actor.unit_code, _base_url(args, settings)
            )
            Path(args.sheet).write_bytes(pdf)
            print(f"printable sheet written to {args.sheet}")

    _run(settings, run)


def _activation_link(args: argparse.Namespace, settings: Settings, code: str) -> str:
    """The link a card's QR code opens."""
    from backend.services.activation import activation_url

    return activation_url(_base_url(args, settings), code)


def cmd_targets_import(args: argparse.Namespace, settings: Settings) -> None:
    """Import targets/roadmaps and print the roadmap check's warnings by unit name."""
    from backend.services.targets import import_targets, roadmap_problems

    text = Path(args.file).read_text(encoding="utf-8")
    framework = load_framework(settings.framework_id)

    async def run(db: Database) -> None:
        actor = await _system(db, args.unit or settings.unit)
        count = await import_targets(db, framework, actor, text)
        print(f"imported {count} targets")
        for warning in await roadmap_problems(db, framework, actor, actor.unit_code):
            print(f"cảnh báo / warning: {warning.message_vi}")
            print(f"                    {warning.message_en}")

    _run(settings, run)


def user_parsers(users: argparse._SubParsersAction, sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`users add`, `users import` and `targets import`."""
    add = users.add_parser(
        "add", help="add a user (password from a prompt or stdin, or a code)", allow_abbrev=False
    )
    add.add_argument("username")
    add.add_argument("--role", required=True)
    add.add_argument("--unit", required=True)
    add.add_argument("--full-name", default="")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--codes-file", help="issue an activation code into this file instead")
    add.add_argument("--url", default="", help="node address for activation links")
    add.set_defaults(func=cmd_users_add)
    imp = users.add_parser("import", help="village heads from village,full_name,phone CSV")
    imp.add_argument("file")
    imp.add_argument("--codes-file", required=True, help="where the activation codes go (0600)")
    imp.add_argument("--sheet", help="also write the printable activation sheet (PDF)")
    imp.add_argument("--unit", default="", help="act for this unit (default: the node's)")
    imp.add_argument("--url", default="", help="node address for activation links")
    imp.add_argument("--dry-run", action="store_true", help="check every row, create nothing")
    imp.add_argument("--valid-only", action="store_true", help="create the valid rows only")
    imp.set_defaults(func=cmd_users_import)
    targets = sub.add_parser("targets", help="targets and roadmaps").add_subparsers(
        dest="targets_command", required=True
    )
    timp = targets.add_parser("import", help="unit_code,year,target_level,… CSV")
    timp.add_argument("file")
    timp.add_argument("--unit", default="", help="act for this unit (default: the node's)")
    timp.set_defaults(func=cmd_targets_import)
