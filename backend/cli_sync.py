"""`xhht` sub-commands of the federation: keys, enrollment, children, moves, relay, demo."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from backend.config import Settings
from backend.core.access import Principal
from backend.db.database import Database
from shared_schema.framework_loader import load_framework


def _run(settings: Settings, work: Callable[[Database], Awaitable[None]]) -> None:
    """Run work against the node's database (backend.cli imports this module, hence late)."""
    from backend.cli import _with_db

    asyncio.run(_with_db(settings, work))


def _system(settings: Settings) -> Callable[[Database], Awaitable[Principal]]:
    """The CLI acts as the node's administrator at the node's own unit."""

    async def principal(db: Database) -> Principal:
        from backend.services.units import load_unit

        async with db.read() as conn:
            unit = await load_unit(conn, settings.unit)
        return Principal(0, "cli", "admin", unit.code, unit.path)

    return principal


def cmd_keys(args: argparse.Namespace, settings: Settings) -> None:
    """Create the node key pair, or rotate it with the parent."""
    from backend.relay.identity import init_key

    if args.keys_command == "init":
        pem, created = init_key(settings.data_dir, force=args.force)
        print(("created" if created else "already present") + f" in {settings.data_dir}\n{pem}")
        return
    asyncio.run(_rotate(settings))


async def _rotate(settings: Settings) -> None:
    """Send a new key signed with the old one; switch files only when the parent accepted."""
    import httpx
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from backend.relay.client import ParentClient
    from backend.relay.identity import key_path, load_key, write_key

    old = load_key(settings.data_dir)
    new = Ed25519PrivateKey.generate()
    async with httpx.AsyncClient(timeout=15.0) as http:
        client = ParentClient(http, settings.parent_url, old, settings.unit, settings.parent_unit)
        await client.rotate(new)
    key_path(settings.data_dir).rename(key_path(settings.data_dir).with_suffix(".old"))
    write_key(settings.data_dir, new)
    print("key rotated; the parent now trusts the new key only")


def cmd_enroll_token(args: argparse.Namespace, settings: Settings) -> None:
    """Print a one-time enrollment token for the node of a unit below this one."""
    from backend.services.receiving import issue_token

    async def run(db: Database) -> None:
        actor = await _system(settings)(db)
        token = await issue_token(db, actor, settings.unit, args.unit, args.hours)
        print(
            f"{token.token}\n(unit {token.unit}, valid until {token.expires_at:%Y-%m-%d %H:%M} UTC)"
        )

    _run(settings, run)


def cmd_enroll(args: argparse.Namespace, settings: Settings) -> None:
    """Register this node's key with its parent and remember the parent in the data dir."""
    import httpx

    from backend.relay.client import ParentClient
    from backend.relay.identity import init_key, load_key, write_link
    from backend.services.topology import resend_everything

    init_key(settings.data_dir)
    url = args.parent.rstrip("/")

    async def run(db: Database) -> None:
        async with httpx.AsyncClient(timeout=15.0) as http:
            client = ParentClient(http, url, load_key(settings.data_dir), settings.unit)
            answer = await client.enroll(args.token, settings.public_url)
        write_link(settings.data_dir, url, answer.parent_unit)
        await resend_everything(db)
        print(f"enrolled {answer.child_unit} with parent {answer.parent_unit} at {url}")

    _run(settings, run)


def cmd_children(args: argparse.Namespace, settings: Settings) -> None:
    """List enrolled child nodes, or revoke one."""
    from backend.services import receiving

    framework = load_framework(settings.framework_id)

    async def run(db: Database) -> None:
        actor = await _system(settings)(db)
        if args.children_command == "revoke":
            count = await receiving.revoke(db, framework, actor, settings.unit, args.unit)
            print(f"revoked {count} enrolment(s) of {args.unit}")
            return
        for child in await receiving.children(db, actor):
            state = f"revoked {child.revoked_at:%Y-%m-%d}" if child.revoked_at else "active"
            print(
                f"{child.unit:<10} {child.unit_name:<30} {state:<20} last push {child.last_push_at}"
            )

    _run(settings, run)


def cmd_units_move(args: argparse.Namespace, settings: Settings) -> None:
    """Re-parent a unit on this node; its figures move with it."""
    from backend.services.topology import move_unit

    framework = load_framework(settings.framework_id)

    async def run(db: Database) -> None:
        actor = await _system(settings)(db)
        count = await move_unit(db, framework, actor, settings.unit, args.code, args.parent)
        print(f"moved {args.code} under {args.parent}; {count} snapshot(s) rebuilt")

    _run(settings, run)


def cmd_relay(_args: argparse.Namespace, settings: Settings) -> None:
    """Run only the relay (for a node whose API runs elsewhere)."""
    import logging

    from backend.relay.loop import run_relay

    if not settings.parent_url:
        raise SystemExit("no parent: set XHHT_PARENT_URL or run `xhht enroll` first")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    async def run(db: Database) -> None:
        await run_relay(db, settings)

    with contextlib.suppress(KeyboardInterrupt):
        _run(settings, run)


def cmd_demo(args: argparse.Namespace, _settings: Settings) -> None:
    """A whole federation on this machine until Ctrl-C."""
    from backend.demo import main as demo_main

    demo_main(Path(args.dir).resolve(), args.port, args.year)


def federation_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Sub-commands of node identity, enrollment, relay and the demo."""
    keys = sub.add_parser("keys", help="the node's Ed25519 key pair")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    init = keys_sub.add_parser("init", help="create the key pair in the data dir")
    init.add_argument("--force", action="store_true", help="replace an existing key")
    keys_sub.add_parser("rotate", help="send a new key to the parent, signed with the old one")
    keys.set_defaults(func=cmd_keys)
    token = sub.add_parser("enroll-token", help="one-time token for a child node")
    token.add_argument("--unit", required=True)
    token.add_argument("--hours", type=int, default=72)
    token.set_defaults(func=cmd_enroll_token)
    enroll = sub.add_parser("enroll", help="enroll this node with its parent")
    enroll.add_argument("--parent", required=True, help="the parent node's URL")
    enroll.add_argument("--token", required=True)
    enroll.set_defaults(func=cmd_enroll)
    children = sub.add_parser("children", help="enrolled child nodes")
    children_sub = children.add_subparsers(dest="children_command", required=True)
    children_sub.add_parser("list")
    revoke = children_sub.add_parser("revoke")
    revoke.add_argument("unit")
    children.set_defaults(func=cmd_children)
    sub.add_parser("relay", help="run only the relay").set_defaults(func=cmd_relay)
    demo = sub.add_parser("demo", help="start a whole federation on 127.0.0.1")
    demo.add_argument("--dir", default="./data/demo")
    demo.add_argument(
        "--base-port", "--port", dest="port", type=int, default=8600, help="first of 6 ports"
    )
    demo.add_argument("--year", type=int, default=2025)
    demo.set_defaults(func=cmd_demo)
