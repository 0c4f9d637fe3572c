"""The country after July 2025 on one machine: a national node, one real province node, and
33 provinces whose signed snapshots are built here and pushed through the real receive route."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.ext.asyncio import create_async_engine

from backend.core.snapshots import UnitFacts, VillageTally, fold_unit, stamp
from backend.db.database import Database
from backend.db.migrate import migrate
from backend.db.repositories import users as user_repo
from backend.demo import plausible_tally
from backend.launcher import Federation, NodeSpec, free_ports
from backend.relay.identity import init_key, public_pem
from backend.services.auth import HASHER
from backend.services.unit_sources import NATION as NATION_LINE
from backend.services.unit_sources import vietnam_provinces_lines
from backend.services.units import UnitLine, import_units
from shared_schema.framework import Framework
from shared_schema.framework_loader import load_framework
from shared_schema.sync import Snapshot, snapshot_to_dict

NATION = "VN"
PASSWORD = "xhht-bench-2025"
YEAR = 2025


def country(provinces: int) -> list[UnitLine]:
    """The nation, the first `provinces` provinces of the official list and their communes."""
    lines = vietnam_provinces_lines(nation=True)
    kept = {u.code for u in lines if u.level == "province"}
    kept = set(sorted(kept)[:provinces])
    return [u for u in lines if u.level == "nation" or u.code in kept or u.parent_code in kept]


def with_villages(lines: list[UnitLine], province: str, villages: int) -> list[UnitLine]:
    """One province's units plus about `villages` synthetic villages spread over its communes."""
    own = [u for u in lines if u.code == province or u.parent_code == province]
    communes = [u for u in own if u.level == "commune"]
    each = max(1, -(-villages // len(communes)))
    hamlets = [
        UnitLine(f"{c.code}-{i:02d}", f"Thôn {i} {c.name}", "village", c.code)
        for c in communes
        for i in range(1, each + 1)
    ]
    top = next(u for u in own if u.code == province)
    # The province's own tree names the nation above it: a node keeps an outbox (and pushes)
    # only when its unit has a parent.
    return [NATION_LINE, top, *communes, *hamlets]


@dataclass
class NationalFederation(Federation):
    """Two node processes (nation, one province) with their own database URLs."""

    urls: dict[str, str] = field(default_factory=dict)
    units: dict[str, list[UnitLine]] = field(default_factory=dict)

    def node_env(self, unit: str) -> dict[str, str]:
        """Default relay settings: the figures are for a node as it ships."""
        env = {
            "XHHT_DATA_DIR": str(self.data_dir(unit)),
            "XHHT_UNIT": unit,
            "XHHT_HIERARCHY": "vn-2025",
            "XHHT_DATABASE_URL": self.urls[unit],
        }
        parent = self.nodes[unit].parent
        if parent:
            env["XHHT_PARENT_URL"] = self.nodes[parent].url
        return env

    async def prepare(self, unit: str, password_hash: str, hosted: list[str]) -> None:
        """Migrations, units, key and an admin for one node."""
        settings = self.settings(unit)
        db = Database.from_url(settings.database_url)
        try:
            await migrate(db.engine)
            await import_units(db, load_framework(), self.units[unit])
            init_key(settings.data_dir)
            async with db.write() as conn:
                await user_repo.insert(
                    conn,
                    username="admin",
                    password_hash=password_hash,
                    role="admin",
                    unit_code=unit,
                    active=True,
                    created_at=datetime.now(UTC),
                )
            self.nodes[unit].users["admin"] = "admin"
        finally:
            await db.dispose()

    def hosted_communes(self, unit: str) -> list[str]:
        """Nothing to seed beyond the admin."""
        return []


async def database_urls(server_url: str, names: list[str]) -> dict[str, str]:
    """Fresh PostgreSQL databases on the server (a SQLAlchemy URL of its maintenance db)."""
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    suffix = uuid.uuid4().hex[:6]
    urls = {}
    async with engine.connect() as conn:
        for name in names:
            database = f"xhht_{name.lower()}_{suffix}"
            await conn.exec_driver_sql(f"CREATE DATABASE {database}")
            urls[name] = server_url.rsplit("/", 1)[0] + f"/{database}"
    await engine.dispose()
    return urls


def build_federation(root: Path, provinces: int, villages: int, server_url: str) -> tuple:
    """The two node specs and the province that runs a real node (the largest kept one)."""
    lines = country(provinces)
    real = max(
        (u.code for u in lines if u.level == "province"),
        key=lambda p: sum(1 for u in lines if u.parent_code == p),
    )
    ports = free_ports(2)
    nodes = {NATION: NodeSpec(NATION, None, ports[0]), real: NodeSpec(real, NATION, ports[1])}
    fed = NationalFederation(root, nodes, hierarchy="vn-2025", password=PASSWORD)
    fed.units = {NATION: lines, real: with_villages(lines, real, villages)}
    return fed, real, lines


async def prepare_urls(fed: NationalFederation, server_url: str) -> None:
    """PostgreSQL databases for both nodes, or SQLite files when no server is given."""
    if server_url:
        fed.urls = await database_urls(server_url, list(fed.nodes))
    else:
        for unit in fed.nodes:
            fed.data_dir(unit).mkdir(parents=True, exist_ok=True)
            fed.urls[unit] = f"sqlite+aiosqlite:///{fed.data_dir(unit) / 'node.sqlite3'}"


@dataclass
class SyntheticProvince:
    """A province without a node process here: its key and the snapshots its node would push."""

    code: str
    key: Ed25519PrivateKey
    snapshots: list[Snapshot]

    def batches(self, size: int) -> list[str]:
        """Signed push tokens of at most `size` snapshots, as the relay sends them."""
        tokens = []
        for start in range(0, len(self.snapshots), size):
            now = int(time.time())
            claims = {
                "iss": self.code,
                "aud": NATION,
                "iat": now,
                "exp": now + 60,
                "jti": uuid.uuid4().hex,
                "snapshots": [snapshot_to_dict(s) for s in self.snapshots[start : start + size]],
            }
            tokens.append(jwt.encode(claims, self.key, algorithm="EdDSA"))
        return tokens

    @property
    def top(self) -> Snapshot:
        """The province's own snapshot (built last)."""
        return self.snapshots[-1]


def synthetic_province(
    framework: Framework, lines: list[UnitLine], code: str, villages_per_commune: int, seed: int
) -> SyntheticProvince:
    """Commune snapshots folded from plausible village tallies, then the province's fold."""
    rng, now = random.Random(seed), datetime.now(UTC)
    built: list[Snapshot] = []
    for commune in (u for u in lines if u.parent_code == code):
        tallies = [
            VillageTally(f"{commune.code}-{i:02d}", plausible_tally(rng), "submitted", now)
            for i in range(1, villages_per_commune + 1)
        ]
        facts = UnitFacts(commune.code, "commune", code, YEAR, villages_per_commune, 0)
        snap = stamp(fold_unit(framework, facts, tallies, []), code, None, now)
        assert snap is not None
        built.append(snap)
    facts = UnitFacts(code, "province", NATION, YEAR, villages_per_commune * len(built), 0)
    top = stamp(fold_unit(framework, facts, [], built), code, None, now)
    assert top is not None
    return SyntheticProvince(code, Ed25519PrivateKey.generate(), [*built, top])


async def enroll_synthetic(http: httpx.AsyncClient, url: str, admin: dict, p: SyntheticProvince):
    """Enroll a synthetic province's key through the national node's real routes."""
    issued = await http.post(f"{url}/api/sync/enroll-tokens", json={"unit": p.code}, headers=admin)
    issued.raise_for_status()
    answer = await http.post(
        f"{url}/api/sync/enroll",
        json={"token": issued.json()["token"], "unit": p.code, "public_key": public_pem(p.key)},
    )
    answer.raise_for_status()


async def push_synthetic(http: httpx.AsyncClient, url: str, p: SyntheticProvince, size: int):
    """Every batch of one province through POST /api/sync/snapshots."""
    for token in p.batches(size):
        answer = await http.post(
            f"{url}/api/sync/snapshots",
            content=token,
            headers={"Content-Type": "application/jwt"},
        )
        if answer.status_code >= 300:
            raise RuntimeError(f"push of {p.code} refused: {answer.status_code} {answer.text}")


async def password_hash() -> str:
    """The admins' hash (argon2 is slow on purpose: once)."""
    return await asyncio.to_thread(HASHER.hash, PASSWORD)
