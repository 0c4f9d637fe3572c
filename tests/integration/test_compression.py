"""What goes over the wire is compressed: precompressed PWA files, gzip for large JSON answers."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from backend.config import Settings
from backend.web.app import create_app
from tests.conftest import Node

SCRIPT = "export const hello = () => 'xin chào';\n" * 200


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A node serving a stand-in dist/ with the .gz and .br siblings the build writes."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>XHHT</title>", encoding="utf-8")
    script = dist / "assets" / "index-abc123.js"
    script.write_text(SCRIPT, encoding="utf-8")
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (dist / "assets" / "index-abc123.js.br").write_bytes(b"brotli-stand-in")
    settings = Settings.from_env({"XHHT_DATA_DIR": str(tmp_path / "data")}, pwa_dir=dist)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


class Raw:
    """An answer with the body bytes as sent (not decoded by the client)."""

    def __init__(self, answer: httpx.Response, content: bytes) -> None:
        self.status_code, self.headers, self.content = answer.status_code, answer.headers, content


async def raw_get(client: httpx.AsyncClient, path: str, **headers: str) -> Raw:
    """GET without httpx decoding the body, so the bytes are those sent."""
    request = client.build_request("GET", path, headers=headers)
    answer = await client.send(request, stream=True)
    content = b"".join([chunk async for chunk in answer.aiter_raw()])
    await answer.aclose()
    return Raw(answer, content)


async def test_script_goes_out_brotli_or_gzip_as_the_browser_accepts(served: httpx.AsyncClient):
    brotli = await raw_get(served, "/assets/index-abc123.js", **{"Accept-Encoding": "gzip, br"})
    assert brotli.headers["content-encoding"] == "br"
    assert brotli.headers["vary"] == "Accept-Encoding"
    assert brotli.headers["content-type"].startswith("text/javascript")
    assert "immutable" in brotli.headers["cache-control"]
    zipped = await raw_get(served, "/assets/index-abc123.js", **{"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped.content).decode() == SCRIPT
    plain = await raw_get(served, "/assets/index-abc123.js", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content.decode() == SCRIPT
    assert plain.headers["vary"] == "Accept-Encoding"
    assert len({brotli.headers["etag"], zipped.headers["etag"], plain.headers["etag"]}) == 3


async def test_a_refused_coding_is_not_sent(served: httpx.AsyncClient):
    answer = await raw_get(served, "/assets/index-abc123.js", **{"Accept-Encoding": "br;q=0, gzip"})
    assert answer.headers["content-encoding"] == "gzip"


async def test_shell_revalidates_to_an_empty_304(served: httpx.AsyncClient):
    first = await raw_get(served, "/", **{"Accept-Encoding": "gzip"})
    again = await raw_get(
        served, "/", **{"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


async def test_large_json_answers_are_gzipped_and_the_framework_revalidates(node: Node):
    first = await raw_get(node.client, "/api/framework", **{"Accept-Encoding": "gzip, br"})
    assert first.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in first.headers["vary"].lower()
    assert len(first.content) < len(gzip.decompress(first.content)) / 3
    again = await raw_get(
        node.client,
        "/api/framework",
        **{"Accept-Encoding": "gzip, br", "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""
    small = await raw_get(node.client, "/health", **{"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
