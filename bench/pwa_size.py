"""Bytes a phone actually moves: a first visit up to the tally form and a repeat visit.

Starts one node (SQLite, built PWA) on 127.0.0.1 and replays what the browser and the PWA fetch,
with a phone browser's Accept-Encoding. Counts body bytes as sent (compressed) plus response headers
(HTTP/1.1, no TLS overhead). The service worker's install fetches its precache list; files the page
already loaded come from the HTTP cache (hashed, immutable), the others are counted.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from backend.launcher import Federation, NodeSpec, free_ports

DIST = Path(__file__).resolve().parent.parent / "pwa" / "dist"
FIRST_TARGET, REPEAT_TARGET = 60 * 1024, 5 * 1024
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd", "User-Agent": "pwa-size-bench"}
VILLAGE_HEAD, VILLAGE = "thon_23353", "23353-01"


@dataclass
class Visit:
    """Every request of one visit with the bytes it moved."""

    client: httpx.AsyncClient
    lines: list[tuple[str, int, int, str]] = field(default_factory=list)
    etags: dict[str, str] = field(default_factory=dict)

    async def fetch(self, method: str, path: str, **kwargs: object) -> bytes:
        """One request; records status, bytes on the wire (headers + raw body) and encoding."""
        headers = {**BROWSER, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        request = self.client.build_request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        answer = await self.client.send(request, stream=True)
        raw = b"".join([chunk async for chunk in answer.aiter_raw()])
        await answer.aclose()
        head = 17 + sum(len(k) + len(v) + 4 for k, v in answer.headers.raw) + 2
        self.lines.append(
            (
                f"{method} {path}",
                answer.status_code,
                head + len(raw),
                answer.headers.get("content-encoding", "-"),
            )
        )
        if "etag" in answer.headers:
            self.etags[path] = answer.headers["etag"]
        return raw  # small JSON answers go uncompressed; larger bodies are not parsed here

    @property
    def total(self) -> int:
        """Bytes of the whole visit."""
        return sum(size for _, _, size, _ in self.lines)

    def print(self, title: str, target: int) -> None:
        """One line per request and the total against its target."""
        print(f"\n{title}")
        for what, status, size, encoding in self.lines:
            print(f"  {what[:62]:62} {status} {size / 1024:7.1f} KB  {encoding}")
        verdict = "ok" if self.total <= target else "OVER"
        print(
            f"  {'total':62}     {self.total / 1024:7.1f} KB  (target ≤ {target // 1024} KB: "
            f"{verdict})"
        )


def page_assets() -> list[str]:
    """What index.html makes the browser load (scripts, styles, preloads, manifest, icons)."""
    html = (DIST / "index.html").read_text(encoding="utf-8")
    return sorted(set(re.findall(r'(?:src|href)="(/[^"]+)"', html)))


def precache_urls() -> list[str]:
    """The service worker's precache list, read from the built sw.js."""
    text = (DIST / "sw.js").read_text(encoding="utf-8")
    return sorted({"/" + u for u in re.findall(r'"?url"?:\s*"([^"]+)"', text)})


async def first_visit(client: httpx.AsyncClient, password: str) -> tuple[Visit, dict[str, str]]:
    """Open the app, log in as a village head, open the tally form."""
    visit = Visit(client)
    await visit.fetch("GET", "/")
    loaded = {"/", "/index.html"}
    for url in page_assets():
        await visit.fetch("GET", url)
        loaded.add(url)
    await visit.fetch("GET", "/sw.js")
    for url in precache_urls():
        if url not in loaded:
            await visit.fetch("GET", url)
            loaded.add(url)
    login = await visit.fetch(
        "POST",
        "/api/auth/login",
        json={"username": VILLAGE_HEAD, "password": password, "device_id": "bench-phone"},
    )
    tokens = json.loads(login)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    await visit.fetch("GET", "/api/framework", headers=auth)
    await visit.fetch("GET", f"/api/tallies?unit={VILLAGE}&year=2025", headers=auth)
    return visit, tokens


async def repeat_visit(client: httpx.AsyncClient, first: Visit, tokens: dict[str, str]) -> Visit:
    """Shell from the service worker; it checks sw.js; the app refreshes and revalidates."""
    visit = Visit(client)
    await visit.fetch("GET", "/sw.js", headers={"If-None-Match": first.etags["/sw.js"]})
    answer = await visit.fetch(
        "POST",
        "/api/auth/refresh",
        json={"refresh_token": tokens["refresh_token"], "device_id": "bench-phone"},
    )
    auth = {"Authorization": f"Bearer {json.loads(answer)['access_token']}"}
    await visit.fetch(
        "GET", "/api/framework", headers={**auth, "If-None-Match": first.etags["/api/framework"]}
    )
    await visit.fetch("GET", f"/api/tallies?unit={VILLAGE}&year=2025", headers=auth)
    return visit


async def run() -> int:
    """Start a node, replay both visits, print the figures."""
    with tempfile.TemporaryDirectory() as root:
        federation = Federation(
            Path(root), {"62": NodeSpec("62", None, free_ports(1)[0])}, hierarchy="vn-2025"
        )
        await federation.up()
        try:
            async with httpx.AsyncClient(base_url=federation.nodes["62"].url, timeout=20) as http:
                first, tokens = await first_visit(http, federation.password)
                repeat = await repeat_visit(http, first, tokens)
        finally:
            federation.stop_all()
    first.print("first visit, up to the tally form", FIRST_TARGET)
    repeat.print("repeat visit (service worker installed, session kept)", REPEAT_TARGET)
    return 0 if first.total <= FIRST_TARGET and repeat.total <= REPEAT_TARGET else 1


def main() -> int:
    """Needs the built PWA (`npm run build` in pwa/)."""
    if not (DIST / "index.html").exists():
        print("pwa/dist is missing: run `npm run build` in pwa/ first", file=sys.stderr)
        return 2
    return asyncio.run(run())


if __name__ == "__main__":
    raise SystemExit(main())
