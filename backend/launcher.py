"""Run a federation of node processes on 127.0.0.1 (the demo, the e2e tests and the bench)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from backend.config import REPO_ROOT, Settings
from backend.core.access import Principal
from backend.db.database import Database
from backend.db.migrate import migrate
from backend.db.repositories import users as user_repo
from backend.relay.client import ParentClient
from backend.relay.identity import init_key, load_key, write_link
from backend.services import receiving, topology
from backend.services.auth import HASHER
from backend.services.units import UnitLine, import_units, load_unit, parse_units_csv
from shared_schema.framework_loader import load_framework

FIXTURES = REPO_ROOT / "shared_schema" / "fixtures"
KONTUM = ("units-kontum-dakglei.csv", "units-kontum-ngochoi.csv")
OFFICER = {"province": "province_officer", "district": "district_officer"}


def free_ports(count: int) -> list[int]:
    """Ports free on the loopback right now."""
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [int(s.getsockname()[1]) for s in sockets]
    for sock in sockets:
        sock.close()
    return ports


def kontum_units(hierarchy: str = "vn-2008") -> list[UnitLine]:
    """Kon Tum with Đắk Glei and Ngọc Hồi; in vn-2025 the districts vanish, communes go to 62."""
    lines: dict[str, UnitLine] = {}
    for name in KONTUM:
        for line in parse_units_csv((FIXTURES / name).read_text(encoding="utf-8")):
            lines[line.code] = line
    if hierarchy == "vn-2025":
        lines = {
            c: UnitLine(u.code, u.name, u.level, "62" if u.level == "commune" else u.parent_code)
            for c, u in lines.items()
            if u.level != "district"
        }
    return list(lines.values())


@dataclass
class NodeSpec:
    """One node: its unit, its parent node's unit (None at the top) and its port."""

    unit: str
    parent: str | None
    port: int
    proc: subprocess.Popen[bytes] | None = None
    users: dict[str, str] = field(default_factory=dict)  # username → role

    @property
    def url(self) -> str:
        """Where the node listens."""
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Federation:
    """Several nodes, each its own process and SQLite file under `root`."""

    root: Path
    nodes: dict[str, NodeSpec]
    hierarchy: str = "vn-2008"
    password: str = "xhht-demo-2025"
    env: dict[str, str] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)  # unit → URL (else SQLite)
    workers: int = 1  # `serve --workers` (several only on PostgreSQL)
    process_groups: bool = False  # each node in its own group, signalled with its workers
    start_timeout: float = 120.0  # seconds for every node to answer /health after a start

    def data_dir(self, unit: str) -> Path:
        """One folder per node."""
        return self.root / f"node-{unit}"

    def node_env(self, unit: str) -> dict[str, str]:
        """The XHHT_* environment of one node process."""
        spec = self.nodes[unit]
        env = {
            "XHHT_DATA_DIR": str(self.data_dir(unit)),
            "XHHT_UNIT": unit,
            "XHHT_HIERARCHY": self.hierarchy,
            "XHHT_RELAY_INTERVAL": "0.25",
            "XHHT_RELAY_BACKOFF_MAX": "2",
            "XHHT_PULL_INTERVAL": "3",
            **self.env,
        }
        if spec.parent:
            env["XHHT_PARENT_URL"] = self.nodes[spec.parent].url
        if unit in self.database_urls:
            env["XHHT_DATABASE_URL"] = self.database_urls[unit]
        return env

    def settings(self, unit: str) -> Settings:
        """The node's settings, as its process builds them."""
        return Settings.from_env(self.node_env(unit))

    async def prepare(self, unit: str, password_hash: str, hosted: list[str]) -> None:
        """Fresh database: migrations, units, node key, users of every role."""
        settings = self.settings(unit)
        db = Database.from_url(settings.database_url)
        try:
            await migrate(db.engine)
            await import_units(db, load_framework(), kontum_units(self.hierarchy))
            init_key(settings.data_dir)
            async with db.write() as conn:
                own = await load_unit(conn, unit)
                users = {"admin": ("admin", unit)}
                if own.level in OFFICER:
                    users["xem"] = ("viewer", unit)
                    users["tinh" if own.level == "province" else "huyen"] = (
                        OFFICER[own.level],
                        unit,
                    )
                for commune in hosted:
                    users[f"xa_{commune}"] = ("commune_officer", commune)
                    users[f"thon_{commune}"] = ("village_head", f"{commune}-01")
                for name, (role, code) in users.items():
                    await user_repo.insert(
                        conn,
                        username=name,
                        password_hash=password_hash,
                        role=role,
                        unit_code=code,
                        active=True,
                        created_at=datetime.now(UTC),
                    )
                    self.nodes[unit].users[name] = role
        finally:
            await db.dispose()

    def start(self, unit: str) -> None:
        """Start one node process (logs in its data dir)."""
        spec = self.nodes[unit]
        log = (self.data_dir(unit) / "node.log").open("ab")
        command = [sys.executable, "-m", "backend.cli", "serve", "--port", str(spec.port)]
        spec.proc = subprocess.Popen(
            [*command, "--log-level", "warning", "--workers", str(self.workers)],
            env={**os.environ, **self.node_env(unit)},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            start_new_session=self.process_groups,
        )

    def signal(self, unit: str, signum: int) -> None:
        """Signal a running node (its whole group, workers included, when it has one)."""
        proc = self.nodes[unit].proc
        if proc is None or proc.poll() is not None:
            return
        if self.process_groups:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)

    def kill(self, unit: str) -> None:
        """SIGKILL a node (no clean shutdown) and reap it."""
        proc = self.nodes[unit].proc
        if proc is None or proc.poll() is not None:
            return
        self.signal(unit, signal.SIGCONT)  # a stopped group would keep its workers stopped
        self.signal(unit, signal.SIGKILL)
        proc.wait()

    def stop(self, unit: str) -> None:
        """Stop one node (SIGTERM, then SIGKILL after 10 s)."""
        proc = self.nodes[unit].proc
        if proc is None or proc.poll() is not None:
            return
        self.signal(unit, signal.SIGCONT)
        self.signal(unit, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            self.kill(unit)

    def stop_all(self) -> None:
        """Stop every node, children first."""
        for unit in reversed(list(self.nodes)):
            self.stop(unit)

    async def wait_healthy(self, units: list[str], timeout: float | None = None) -> None:
        """Until every listed node answers /health."""
        deadline = time.monotonic() + (timeout or self.start_timeout)
        async with httpx.AsyncClient(timeout=2.0) as http:
            for unit in units:
                while True:
                    proc = self.nodes[unit].proc
                    if proc is not None and proc.poll() is not None:
                        raise RuntimeError(
                            f"node {unit} exited; see {self.data_dir(unit)}/node.log"
                        )
                    try:
                        if (await http.get(f"{self.nodes[unit].url}/health")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"node {unit} did not start")
                    await asyncio.sleep(0.1)

    async def enroll(self, child: str, parent: str | None = None) -> None:
        """Issue a token in the parent's database, enroll the child over HTTP, store the link."""
        parent = parent or self.nodes[child].parent
        assert parent is not None
        parent_settings = self.settings(parent)
        parent_db = Database.from_url(parent_settings.database_url)
        try:
            async with parent_db.read() as conn:
                path = (await load_unit(conn, parent)).path
            system = Principal(0, "launcher", "admin", parent, path)
            token = await receiving.issue_token(parent_db, system, parent, child)
        finally:
            await parent_db.dispose()
        child_settings = self.settings(child)
        async with httpx.AsyncClient(timeout=10.0) as http:
            key = load_key(child_settings.data_dir)
            client = ParentClient(http, self.nodes[parent].url, key, child)
            answer = await client.enroll(token.token, self.nodes[child].url)
        write_link(child_settings.data_dir, self.nodes[parent].url, answer.parent_unit)
        child_db = Database.from_url(child_settings.database_url)
        try:
            await topology.resend_everything(child_db)
        finally:
            await child_db.dispose()

    async def up(self) -> None:
        """Prepare every node, start them all, enroll each with its parent."""
        self.root.mkdir(parents=True, exist_ok=True)
        password_hash = await asyncio.to_thread(HASHER.hash, self.password)
        for unit in self.nodes:
            await self.prepare(unit, password_hash, self.hosted_communes(unit))
        for unit in self.nodes:
            self.start(unit)
        await self.wait_healthy(list(self.nodes))
        for unit, spec in self.nodes.items():
            if spec.parent:
                await self.enroll(unit)

    def hosted_communes(self, unit: str) -> list[str]:
        """Communes whose villages report into this node (no node of their own below it)."""
        lines = {u.code: u for u in kontum_units(self.hierarchy)}

        def ancestors(code: str) -> list[str]:
            chain = []
            while code:
                chain.append(code)
                code = lines[code].parent_code
            return chain

        others = set(self.nodes) - {unit}
        return [
            u.code
            for u in lines.values()
            if u.level == "commune"
            and unit in ancestors(u.code)
            and not any(
                o in ancestors(u.code) and o != unit and unit in ancestors(o) for o in others
            )
        ]

    async def token(self, unit: str, username: str) -> str:
        """Log in on a node (the real password check) and return the access token."""
        async with httpx.AsyncClient(timeout=10.0) as http:
            answer = await http.post(
                f"{self.nodes[unit].url}/api/auth/login",
                json={"username": username, "password": self.password, "device_id": "launcher"},
            )
            answer.raise_for_status()
            return str(answer.json()["access_token"])
