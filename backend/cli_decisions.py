"""`xhht decisions list|retry|drop`: decisions from the parent that could not be applied here."""

from __future__ import annotations

import argparse

from backend.cli_sync import _run, _system
from backend.config import Settings
from backend.db.database import Database
from shared_schema.framework_loader import load_framework


def cmd_decisions(args: argparse.Namespace, settings: Settings) -> None:
    """List, retry or drop quarantined decisions (the relay goes on pulling the others)."""
    from backend.services import decision_quarantine as quarantine

    async def run(db: Database) -> None:
        actor = await _system(settings)(db)
        if args.decisions_command == "list":
            items = await quarantine.quarantined(db, actor)
            for item in items:
                d = item.decision
                print(
                    f"{d.uid}  {d.kind:<17} {d.unit:<10} {d.year}  from {d.origin or '?':<8} "
                    f"attempts {item.attempts}  since {item.quarantined_at:%Y-%m-%d %H:%M}  "
                    f"{item.reason}"
                )
            print(f"{len(items)} quarantined decision(s)")
            return
        for uid in args.uids:
            if args.decisions_command == "drop":
                await quarantine.drop(db, actor, uid)
                print(f"{uid}: dropped")
                continue
            framework = load_framework(settings.framework_id)
            reason = await quarantine.retry(db, framework, actor, settings.unit, uid)
            print(f"{uid}: applied" if reason is None else f"{uid}: still refused: {reason}")

    _run(settings, run)


def decisions_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `decisions` sub-command and its actions."""
    decisions = sub.add_parser("decisions", help="decisions from the parent held in quarantine")
    actions = decisions.add_subparsers(dest="decisions_command", required=True)
    actions.add_parser("list", help="quarantined decisions with their reason")
    retry = actions.add_parser("retry", help="apply quarantined decisions again")
    retry.add_argument("uids", nargs="+", metavar="UID")
    drop = actions.add_parser("drop", help="give up on quarantined decisions")
    drop.add_argument("uids", nargs="+", metavar="UID")
    decisions.set_defaults(func=cmd_decisions)
