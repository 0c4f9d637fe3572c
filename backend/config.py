"""One frozen Settings object, built from the environment and passed into create_app."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _sqlite_url(data_dir: Path) -> str:
    """The embedded default database: a SQLite file inside the data dir."""
    return f"sqlite+aiosqlite:///{data_dir / 'xhht.sqlite3'}"


def _stored_secret(data_dir: Path, name: str = "secret.key") -> str:
    """A per-node secret generated on first start and kept in the data dir (owner-only)."""
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    with os.fdopen(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600), "w") as out:
        out.write(value)
    return value


def _stored_link(data_dir: Path) -> dict[str, str]:
    """The parent this node enrolled with (`xhht enroll` writes parent.json in the data dir)."""
    path = data_dir / "parent.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Settings:
    """Everything a node needs to know about itself."""

    data_dir: Path
    database_url: str
    secret: str
    unit: str = ""
    parent_url: str = ""
    framework_id: str = "vn-tt25-2023"
    hierarchy: str = "vn-2025"
    access_token_seconds: int = 15 * 60
    refresh_token_days: int = 60
    login_max_failures: int = 5  # per username, then a doubling delay (login_delay_ms, 2×, 4×…)
    login_window_seconds: int = 15 * 60
    login_address_max_failures: int = 20  # per client address in the same window
    login_delay_ms: int = 1000
    max_body_bytes: int = 1_000_000
    evidence_max_bytes: int = 20 * 1024 * 1024  # per uploaded evidence file
    deadlines: str = ""  # node overrides of calendar deadlines: "commune_dossier=28/02,…"
    pwa_dir: Path = field(default_factory=lambda: REPO_ROOT / "pwa" / "dist")
    relay_enabled: bool = True
    parent_unit: str = ""
    public_url: str = ""
    relay_interval: float = 1.0
    relay_backoff_max: float = 30.0
    relay_batch: int = 100
    singleton_check_interval: float = 5.0  # how often a worker checks the relay/rebuilder lock
    relay_quarantine_after: int = 8  # refusals of one snapshot before it waits for the operator
    pull_interval: float = 30.0
    report_deadline: str = "12-15"  # MM-DD of the reporting year (timeliness placeholder)
    metrics_token: str = ""  # bearer token for GET /metrics; empty: /metrics is not served
    log_format: str = "human"  # or "json"
    activation_days: int = 30  # an activation code expires after this many days
    activation_max_failures: int = 10  # wrong codes per client address inside the window
    activation_window_seconds: int = 15 * 60

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read XHHT_* variables; missing ones get their embedded defaults."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("XHHT_DATA_DIR", "./data")).resolve()
        link = _stored_link(data_dir)
        settings = cls(
            data_dir=data_dir,
            database_url=env.get("XHHT_DATABASE_URL") or _sqlite_url(data_dir),
            secret=env.get("XHHT_SECRET") or _stored_secret(data_dir),
            unit=env.get("XHHT_UNIT", ""),
            parent_url=env.get("XHHT_PARENT_URL") or link.get("parent_url", ""),
            parent_unit=env.get("XHHT_PARENT_UNIT") or link.get("parent_unit", ""),
            public_url=env.get("XHHT_PUBLIC_URL", ""),
            relay_interval=float(env.get("XHHT_RELAY_INTERVAL", "1.0")),
            relay_backoff_max=float(env.get("XHHT_RELAY_BACKOFF_MAX", "30")),
            relay_batch=int(env.get("XHHT_RELAY_BATCH", "100")),
            relay_quarantine_after=int(env.get("XHHT_RELAY_QUARANTINE_AFTER", "8")),
            pull_interval=float(env.get("XHHT_PULL_INTERVAL", "30")),
            report_deadline=env.get("XHHT_REPORT_DEADLINE", "12-15"),
            framework_id=env.get("XHHT_FRAMEWORK", "vn-tt25-2023"),
            hierarchy=env.get("XHHT_HIERARCHY", "vn-2025"),
            max_body_bytes=int(env.get("XHHT_MAX_BODY_BYTES", "1000000")),
            evidence_max_bytes=int(env.get("XHHT_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))),
            deadlines=env.get("XHHT_DEADLINES", ""),
            relay_enabled=env.get("XHHT_RELAY", "1") != "0",
            metrics_token=env.get("XHHT_METRICS_TOKEN")
            or _stored_secret(data_dir, "metrics.token"),
            log_format=env.get("XHHT_LOG_FORMAT", "human"),
            activation_days=int(env.get("XHHT_ACTIVATION_DAYS", "30")),
        )
        if env.get("XHHT_PWA_DIR"):
            settings = replace(settings, pwa_dir=Path(env["XHHT_PWA_DIR"]))
        return replace(settings, **overrides)  # type: ignore[arg-type]

    @property
    def evidence_dir(self) -> Path:
        """Evidence files, as data/evidence/<ab>/<sha256> (a backup copies the folder)."""
        return self.data_dir / "evidence"

    @property
    def is_sqlite(self) -> bool:
        """SQLite needs serialised writers; PostgreSQL does not."""
        return self.database_url.startswith("sqlite")
