"""`xhht outbox …` and `xhht rebuilds …`: what waits, what is quarantined, retry or drop it."""

from __future__ import annotations

import argparse
from datetime import datetime

from backend.config import Settings
from backend.core.quarantine import OutboxItem, RebuildItem
from backend.db.database import Database


def _when(moment: datetime | None) -> str:
    """A short UTC time, or a dash."""
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else "-"


def _outbox_line(item: OutboxItem) -> str:
    """One row of `xhht outbox list`."""
    state = "quarantined" if item.quarantined_at else f"retry {_when(item.next_attempt_at)}"
    return (
        f"{item.key:<28} rev {item.revision:<14} refusals {item.attempts:<3} {state:<28} "
        f"{item.last_error or ''}"
    )


def _rebuild_line(item: RebuildItem) -> str:
    """One row of `xhht rebuilds list`."""
    state = "quarantined" if item.quarantined_at else f"retry {_when(item.next_attempt_at)}"
    return f"{item.unit}/{item.year:<12} failures {item.attempts:<3} {state:<28} {item.last_error}"


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> None:
    """List refused and quarantined snapshots, retry them, or drop one."""
    from backend.cli_sync import _run
    from backend.services import outbox

    async def run(db: Database) -> None:
        if args.outbox_command == "retry":
            count = await outbox.retry_quarantined(db, None if args.all else args.key)
            print(f"{count} quarantined snapshot(s) will be sent again")
        elif args.outbox_command == "drop":
            print(f"{await outbox.drop(db, args.key)} outbox row(s) dropped")
        else:
            items = await outbox.operator_items(db, everything=args.all)
            for item in items:
                print(_outbox_line(item))
            counts = await outbox.counts(db)
            print(f"pending {counts.pending}, quarantined {counts.quarantined}")

    if args.outbox_command in ("retry", "drop") and not getattr(args, "all", False):
        try:
            outbox.parse_key(args.key or "")
        except ValueError as exc:
            raise SystemExit(f"{exc} (or --all for retry)") from exc
    _run(settings, run)


def cmd_rebuilds(args: argparse.Namespace, settings: Settings) -> None:
    """List failing and quarantined rebuilds, or release them for another try."""
    from backend.cli_sync import _run
    from backend.services import rebuilds

    async def run(db: Database) -> None:
        if args.rebuilds_command == "retry":
            count = await rebuilds.retry(db, args.unit, args.year)
            print(f"{count} quarantined rebuild(s) will be tried again")
            return
        for item in await rebuilds.failures(db):
            print(_rebuild_line(item))
        counts = await rebuilds.counts(db)
        print(f"pending {counts.pending}, quarantined {counts.quarantined}")

    _run(settings, run)


def queue_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Sub-commands for the operator's view of the outbox and the rebuild queue."""
    box = sub.add_parser("outbox", help="snapshots waiting for the parent, and the quarantine")
    box_sub = box.add_subparsers(dest="outbox_command", required=True)
    listing = box_sub.add_parser("list", help="refused and quarantined snapshots")
    listing.add_argument("--all", action="store_true", help="every unsent snapshot")
    retry = box_sub.add_parser("retry", help="send quarantined snapshots again")
    retry.add_argument("key", nargs="?", help="ORIGIN/UNIT/YEAR")
    retry.add_argument("--all", action="store_true", help="every quarantined snapshot")
    drop = box_sub.add_parser("drop", help="give up on one snapshot")
    drop.add_argument("key", help="ORIGIN/UNIT/YEAR")
    box.set_defaults(func=cmd_outbox)
    rebuild = sub.add_parser("rebuilds", help="failing snapshot rebuilds and their quarantine")
    rebuild_sub = rebuild.add_subparsers(dest="rebuilds_command", required=True)
    rebuild_sub.add_parser("list", help="failing and quarantined rebuilds")
    again = rebuild_sub.add_parser("retry", help="try quarantined rebuilds again")
    again.add_argument("--unit", help="only this unit")
    again.add_argument("--year", type=int, help="only this year")
    rebuild.set_defaults(func=cmd_rebuilds)
