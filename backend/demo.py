"""`xhht demo`: a whole Kon Tum federation on this machine, with logins and a year of tallies."""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from backend.config import REPO_ROOT
from backend.launcher import Federation, NodeSpec, kontum_units

# Province ← two districts; two communes with their own node under Đắk Glei, one under Ngọc Hồi;
# every other commune is hosted by its district node.
TOPOLOGY: list[tuple[str, str | None]] = [
    ("62", None),
    ("610", "62"),
    ("611", "62"),
    ("23353", "610"),
    ("23347", "610"),
    ("23377", "611"),
]
ROLE_VI = {
    "admin": "Quản trị",
    "province_officer": "Cán bộ tỉnh",
    "district_officer": "Cán bộ huyện",
    "commune_officer": "Cán bộ xã",
    "village_head": "Trưởng thôn",
    "viewer": "Người xem",
}


def plausible_tally(rng: random.Random) -> dict[str, int]:
    """A village's yearly figures that respect every order rule of the framework."""
    households = rng.randint(60, 260)
    registered = int(households * rng.uniform(0.75, 0.98))
    citizens = int(households * rng.uniform(2.6, 3.6))
    citizens_registered = int(citizens * rng.uniform(0.7, 0.95))
    clans = rng.randint(3, 12)
    clans_registered = clans - rng.randint(0, 2)
    units_total = rng.randint(2, 8)
    trained = int(citizens * rng.uniform(0.3, 0.6))
    working = int(citizens * rng.uniform(0.55, 0.7))
    return {
        "households_total": households,
        "families_registered": registered,
        "families_recognized": int(registered * rng.uniform(0.7, 0.95)),
        "clans_total": clans,
        "clans_registered": clans_registered,
        "clans_recognized": max(0, clans_registered - rng.randint(0, 2)),
        "citizens_total": citizens,
        "citizens_registered": citizens_registered,
        "citizens_recognized": int(citizens_registered * rng.uniform(0.6, 0.9)),
        "units_total": units_total,
        "units_registered": units_total,
        "units_recognized": rng.randint(0, units_total),
        "village_community_recognized": rng.randint(0, 1),
        "trained_total": trained,
        "university_total": int(trained * rng.uniform(0.05, 0.2)),
        "working_age_total": working,
        "info_skills_total": int(working * rng.uniform(0.3, 0.7)),
        "life_skills_total": int(working * rng.uniform(0.4, 0.8)),
        "lifelong_week_participants": int(citizens * rng.uniform(0.2, 0.5)),
        "scholarship_fund_vnd": rng.randint(5, 60) * 1_000_000,
    }


def demo_federation(root: Path, base_port: int) -> Federation:
    """The demo topology on consecutive ports."""
    nodes = {
        unit: NodeSpec(unit, parent, base_port + i) for i, (unit, parent) in enumerate(TOPOLOGY)
    }
    return Federation(root, nodes)


async def submit_year(federation: Federation, year: int, seed: int = 2025) -> int:
    """Every village reports once, to the node that hosts its commune (as that node's admin)."""
    rng = random.Random(seed)
    villages = [u for u in kontum_units(federation.hierarchy) if u.level == "village"]
    sent = 0
    async with httpx.AsyncClient(timeout=20.0) as http:
        for unit in federation.nodes:
            hosted = set(federation.hosted_communes(unit))
            headers = {"Authorization": f"Bearer {await federation.token(unit, 'admin')}"}
            for village in (v for v in villages if v.parent_code in hosted):
                body = {
                    "client_uuid": str(uuid.uuid4()),
                    "village": village.code,
                    "year": year,
                    "values": plausible_tally(rng),
                }
                answer = await http.post(
                    f"{federation.nodes[unit].url}/api/tallies", json=body, headers=headers
                )
                if answer.status_code >= 400:
                    raise RuntimeError(f"tally for {village.code} refused: {answer.text}")
                sent += 1
    return sent


# As after 1 July 2025: one commune's villages join a neighbour, which keeps its code.
DEMO_MERGER = {
    "old_codes": ["23350"],
    "new_code": "23341",
    "effective_on": "2025-07-01",
    "note": "Sáp nhập minh họa / demo merger: Đắk Nhoong → Đăk Pék",
}


async def merge_one_commune(federation: Federation) -> None:
    """Record the demo merger on the node hosting both communes and the nodes above it."""
    host = next(
        (u for u in federation.nodes if DEMO_MERGER["new_code"] in federation.hosted_communes(u)),
        None,
    )
    async with httpx.AsyncClient(timeout=20.0) as http:
        while host is not None:
            headers = {"Authorization": f"Bearer {await federation.token(host, 'admin')}"}
            answer = await http.post(
                f"{federation.nodes[host].url}/api/mergers", json=DEMO_MERGER, headers=headers
            )
            if answer.status_code >= 400:
                print(f"Không ghi được sáp nhập minh họa / demo merger not recorded: {answer.text}")
                return
            host = federation.nodes[host].parent
    print("Xã 23350 sáp nhập vào xã 23341 từ 01/7/2025 / commune 23350 merged into 23341")


def print_logins(federation: Federation) -> None:
    """Each node's URL and its logins per role (commune and village logins on one line each)."""
    print(f"\nMật khẩu cho mọi tài khoản / password for every login: {federation.password}\n")
    for unit, spec in federation.nodes.items():
        parent = f"  (cấp trên / parent {spec.parent})" if spec.parent else ""
        print(f"Nút / node {unit}: {spec.url}{parent}")
        by_role: dict[str, list[str]] = {}
        for name, role in spec.users.items():
            by_role.setdefault(role, []).append(name)
        for role, names in by_role.items():
            print(f"    {ROLE_VI[role]:<13} / {role:<17} {', '.join(names)}")
    print("\nMở trình duyệt / open in a browser: " + federation.nodes["62"].url)
    print("Bảng tổng hợp liên thông / federation view (API, after login):")
    print(f"    {federation.nodes['62'].url}/api/federation/status?year=YEAR&level=commune")


def ensure_pwa() -> None:
    """Build the PWA once when npm is there, so the demo opens in a browser."""
    pwa = REPO_ROOT / "pwa"
    if (pwa / "dist" / "index.html").exists() or not (pwa / "package.json").exists():
        return
    if shutil.which("npm") is None:
        print("Chưa dựng PWA (thiếu npm): chỉ có API / PWA not built (no npm): API only")
        return
    print("Dựng ứng dụng PWA lần đầu / building the PWA once …", flush=True)
    if not (pwa / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=pwa, check=False)
    subprocess.run(["npm", "run", "build"], cwd=pwa, check=False)


def clean(root: Path) -> None:
    """Remove node folders left by an earlier demo (nothing else in the folder is touched)."""
    for old in root.glob("node-*"):
        shutil.rmtree(old)


async def run_demo(root: Path, base_port: int, year: int) -> None:
    """Start, enroll, seed, print, and keep running until cancelled."""
    clean(root)
    ensure_pwa()
    federation = demo_federation(root, base_port)
    try:
        print(f"Khởi động {len(federation.nodes)} nút trong {root} …", flush=True)
        await federation.up()
        count = await submit_year(federation, year)
        print(f"Đã gửi {count} biểu tổng hợp cấp thôn cho năm {year} / tallies sent")
        await merge_one_commune(federation)
        print_logins(federation)
        print("\nNhấn Ctrl-C để dừng / press Ctrl-C to stop", flush=True)
        while True:
            await asyncio.sleep(3600)
    finally:
        federation.stop_all()
        print("\nĐã dừng mọi nút / all nodes stopped", flush=True)


def taken_ports(ports: list[int]) -> list[int]:
    """Ports on 127.0.0.1 that something already listens on (or that cannot be bound)."""
    taken = []
    for port in ports:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                taken.append(port)
    return taken


async def run_until_signalled(root: Path, base_port: int, year: int) -> None:
    """Run the demo; SIGTERM and SIGHUP stop it the way Ctrl-C does (every node stopped)."""
    task = asyncio.ensure_future(run_demo(root, base_port, year))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def main(root: Path, base_port: int, year: int) -> None:
    """Entry point for `xhht demo`: check the ports, then run until Ctrl-C or SIGTERM."""
    ports = [base_port + i for i in range(len(TOPOLOGY))]
    taken = taken_ports(ports)
    if taken:
        listed = ", ".join(str(p) for p in taken)
        print(
            f"Cổng {listed} đang được dùng (có thể bản demo trước vẫn chạy). Hãy dừng nó, hoặc "
            f"chọn cổng khác: xhht demo --base-port 21000\n"
            f"Port {listed} is already in use (perhaps an earlier demo is still running). Stop "
            f"it, or choose other ports: xhht demo --base-port 21000 (uses {len(ports)} ports "
            f"from there).",
            file=sys.stderr,
        )
        raise SystemExit(2)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_until_signalled(root, base_port, year))
