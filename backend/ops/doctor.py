"""`xhht doctor`: check a node's setup and say, for each failure, what to do about it."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlparse

import httpx

from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import code_head, current_revision, unknown_revisions
from backend.db.repositories import units as unit_repo
from backend.ops.urls import redact_url
from backend.relay.identity import KEY_FILE

MAX_SKEW_SECONDS = 30  # push tokens live 60 s: a larger skew makes the parent refuse them
SECRET_FILES = ("secret.key", KEY_FILE, "metrics.token")
LOW_DISK, CRITICAL_DISK = 2 * 1024**3, 200 * 1024**2


@dataclass(frozen=True)
class Check:
    """One verdict: ok, warn or fail, with what was seen and what to do."""

    name: str
    status: str
    detail: str
    fix: str = ""


def _ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def check_config(settings: Settings) -> list[Check]:
    """The node knows its unit, and its parent link is HTTPS unless it stays on this machine."""
    checks = [
        _ok("unit", f"XHHT_UNIT={settings.unit}")
        if settings.unit
        else Check("unit", "fail", "XHHT_UNIT is empty", "set XHHT_UNIT to this node's unit code")
    ]
    if not settings.parent_url:
        checks.append(_ok("parent link", "no parent (this is the top node)"))
        return checks
    parsed = urlparse(settings.parent_url)
    local = parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    if parsed.scheme == "https" or local:
        checks.append(_ok("parent link", settings.parent_url))
    else:
        checks.append(
            Check(
                "parent link",
                "warn",
                f"{settings.parent_url} is not HTTPS",
                "use the parent's https:// address (docs/operator-guide.md, TLS)",
            )
        )
    return checks


def check_secret_files(data_dir: Path, needs_key: bool) -> list[Check]:
    """Keys and secrets exist where needed and are readable by the node's user only."""
    checks = []
    for name in SECRET_FILES:
        path = data_dir / name
        if not path.exists():
            if name == KEY_FILE and needs_key:
                checks.append(
                    Check(name, "fail", "missing", "run `xhht keys init`, then enroll again")
                )
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            checks.append(
                Check(
                    name,
                    "fail",
                    f"permissions {mode:o}: other users can read it",
                    f"chmod 600 {path}  (and chown it to the node's user)",
                )
            )
        else:
            checks.append(_ok(name, f"permissions {mode:o}"))
    return checks


def check_disk(data_dir: Path) -> Check:
    """Enough free space for the database, evidence files and backups."""
    free = shutil.disk_usage(data_dir if data_dir.exists() else data_dir.parent).free
    detail = f"{free / 1024**3:.1f} GB free under {data_dir}"
    if free < CRITICAL_DISK:
        return Check("disk", "fail", detail, "free space now: old backups, logs; or a larger disk")
    if free < LOW_DISK:
        return Check("disk", "warn", detail, "plan more space before evidence files fill it")
    return _ok("disk", detail)


async def check_database(settings: Settings) -> list[Check]:
    """The database answers and its schema is the one this code expects."""
    db = Database.from_url(settings.database_url)
    shown = redact_url(settings.database_url)
    try:
        async with db.read() as conn:
            await conn.exec_driver_sql("SELECT 1")
            unknown = await conn.run_sync(unknown_revisions)
        revision = await current_revision(db.engine)
    except Exception as exc:  # any driver error is the operator's to read
        return [
            Check(
                "database",
                "fail",
                f"{shown}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
                "check XHHT_DATABASE_URL, that the server runs and the password is right",
            )
        ]
    finally:
        await db.dispose()
    head = code_head()
    checks = [_ok("database", shown)]
    if unknown:
        fix = "install the newer XHHT release that migrated it, or restore a matching backup"
        checks.append(Check("schema", "fail", f"{revision} is newer than this code ({head})", fix))
    elif revision != head:
        fix = "run `xhht migrate` (serve also migrates on start)"
        checks.append(Check("schema", "warn", f"at {revision or 'empty'}, code is at {head}", fix))
    else:
        checks.append(_ok("schema", f"at {head}"))
    return checks


async def check_tree(settings: Settings) -> list[Check]:
    """The node's own unit is in its list, and has a parent there exactly when a parent link is
    set: the node queues snapshots for pushing only when its unit has a parent."""
    db = Database.from_url(settings.database_url)
    try:
        async with db.read() as conn:
            own = await unit_repo.get(conn, settings.unit)
    except Exception:  # the database check reports why
        return []
    finally:
        await db.dispose()
    if own is None:
        fix = "import the unit list (`xhht units import …`) or set XHHT_UNIT to a unit in it"
        return [Check("unit tree", "fail", f"unit {settings.unit} is not in the unit list", fix)]
    if settings.parent_url and not own.parent_code:
        fix = (
            "import the parent's line too (e.g. `xhht units import --vietnam-provinces "
            "--nation` for a province under the ministry)"
        )
        detail = f"a parent link is set, but unit {own.code} has no parent in the unit list"
        return [Check("unit tree", "fail", f"{detail}: nothing would be pushed", fix)]
    if own.parent_code and not settings.parent_url:
        fix = "enroll with the parent (`xhht enroll --parent URL --token …`) so snapshots go up"
        detail = f"unit {own.code} has parent {own.parent_code}, but no parent link is set"
        return [Check("unit tree", "warn", detail, fix)]
    return [_ok("unit tree", f"unit {own.code} ({own.name})")]


async def check_parent(settings: Settings, timeout: float) -> list[Check]:
    """The parent answers /health, and our clocks agree closely enough for signed pushes."""
    if not settings.parent_url:
        return []
    url = settings.parent_url.rstrip("/") + "/health"
    try:
        async with httpx.AsyncClient(timeout=timeout) as http:
            answer = await http.get(url)
    except httpx.HTTPError as exc:
        return [
            Check(
                "parent",
                "fail",
                f"{url}: {type(exc).__name__} {exc}".strip(),
                "check the network, DNS, firewall and TLS certificate; the outbox keeps "
                "everything until the parent answers again",
            )
        ]
    checks = [
        _ok("parent", f"{url} answered {answer.status_code}")
        if answer.status_code == 200
        else Check(
            "parent",
            "fail",
            f"{url} answered {answer.status_code}",
            "ask the parent's operator to run `xhht doctor` there",
        )
    ]
    checks.append(_skew(answer))
    return checks


def _skew(answer: httpx.Response) -> Check:
    """Clock difference from the parent's Date header (1 s resolution)."""
    if "date" not in answer.headers:
        return Check("clock", "warn", "the parent sent no Date header", "compare clocks by hand")
    theirs = parsedate_to_datetime(answer.headers["date"])
    skew = (datetime.now(UTC) - theirs).total_seconds()
    detail = f"{skew:+.0f} s against the parent"
    if abs(skew) > MAX_SKEW_SECONDS:
        return Check("clock", "fail", detail, "enable time sync: `timedatectl set-ntp true`")
    return _ok("clock", detail)


async def run_checks(settings: Settings, timeout: float = 5.0) -> list[Check]:
    """Every check, in the order an operator would fix things."""
    steps: list[Callable[[], Awaitable[list[Check]]]] = [
        lambda: check_database(settings),
        lambda: check_tree(settings),
        lambda: check_parent(settings, timeout),
    ]
    results = check_config(settings)
    results += check_secret_files(settings.data_dir, bool(settings.parent_url))
    for step in steps:
        results += await step()
    results.append(check_disk(settings.data_dir))
    return results


def print_report(results: list[Check]) -> None:
    """One line per check, the fix indented under each problem, and a summary."""
    for check in results:
        print(f"[{check.status:^4}] {check.name:<17} {check.detail}")
        if check.fix:
            print(f"{'':25}→ {check.fix}")
    failed = sum(c.status == "fail" for c in results)
    warned = sum(c.status == "warn" for c in results)
    print(f"\n{failed} failed, {warned} warnings, {len(results) - failed - warned} ok")
