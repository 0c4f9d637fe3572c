"""The node serves the built PWA: shell revalidated, hashed assets cached, /api never shadowed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from backend.config import Settings
from backend.web.app import create_app


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A node whose pwa_dir is a tiny stand-in for pwa/dist (no build needed)."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>XHHT</title>", encoding="utf-8")
    (dist / "sw.js").write_text("self.skipWaiting()", encoding="utf-8")
    (dist / "manifest.webmanifest").write_text('{"name": "XHHT"}', encoding="utf-8")
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    settings = Settings.from_env({"XHHT_DATA_DIR": str(tmp_path / "data")}, pwa_dir=dist)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("path", ["/", "/index.html", "/sw.js", "/manifest.webmanifest"])
async def test_app_shell_is_revalidated_on_every_load(served: httpx.AsyncClient, path: str):
    answer = await served.get(path)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_a_year(served: httpx.AsyncClient):
    answer = await served.get("/assets/index-abc123.js")
    assert answer.status_code == 200 and answer.text == "console.log(1)"
    assert "immutable" in answer.headers["cache-control"]
    assert "max-age=31536000" in answer.headers["cache-control"]


@pytest.mark.parametrize("path", ["/api/nope", "/api/", "/api/units/62/nope/deeper", "/nope"])
async def test_unknown_paths_are_problems_not_the_app_shell(served: httpx.AsyncClient, path: str):
    answer = await served.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "not_found"
