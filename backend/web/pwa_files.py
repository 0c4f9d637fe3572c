"""The built PWA: precompressed variants, the shell revalidated, hashed assets kept a year."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, HTTPResponseStartEvent, Receive, Scope, Send

# index.html, sw.js and the manifest name the current hashed assets: always ask the node first.
SHELL_CACHE = CacheControlHeader(no_cache=True)
# Vite puts a content hash in every file name under assets/, so a copy never goes stale.
ASSET_CACHE = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)
# Sibling files written by `npm run build` (scripts/precompress.mjs), best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
mimetypes.add_type("application/manifest+json", ".webmanifest")


@dataclass(frozen=True)
class Variant:
    """The file to send for one request and how it is encoded."""

    path: Path
    encoding: str  # "" for identity
    etag: str


def _accepted(scope: Scope) -> set[str]:
    """Content codings the client accepts (q=0 means refused)."""
    for name, value in scope.get("headers", []):
        if name == b"accept-encoding":
            codings = set()
            for part in value.decode("latin-1").lower().split(","):
                coding, _, params = part.strip().partition(";")
                if params.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}:
                    codings.add(coding.strip())
            return codings
    return set()


def choose_variant(file: Path, accepted: set[str]) -> Variant:
    """The smallest stored variant this client can decode, with a per-variant ETag."""
    stat = file.stat()
    base = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
    for encoding, suffix in ENCODINGS:
        sibling = file.with_name(file.name + suffix)
        if (encoding in accepted or "*" in accepted) and sibling.is_file():
            return Variant(sibling, encoding, f'"{base}-{encoding}"')
    return Variant(file, "", f'"{base}"')


class PrecompressedFiles:
    """ASGI middleware on the PWA routers: answers for files that exist, with Vary and ETag."""

    def __init__(self, app: ASGIApp, root: Path, mount: str, cache: CacheControlHeader) -> None:
        self.app, self.root, self.mount, self.cache = app, root.resolve(), mount, cache

    def _file(self, scope: Scope) -> Path | None:
        """The file under root the request names (index.html for the mount itself)."""
        relative = scope["path"][len(self.mount.rstrip("/")) :].lstrip("/") or "index.html"
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or candidate.suffix in {".br", ".gz"}:
            return None
        return candidate if candidate.is_file() else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the best variant, or let the static router answer (404 and the like)."""
        file = self._file(scope) if scope.get("method") in {"GET", "HEAD"} else None
        if file is None:
            await self.app(scope, receive, send)
            return
        variant = choose_variant(file, _accepted(scope))
        headers: list[tuple[bytes, bytes]] = [
            (b"content-type", _content_type(file).encode()),
            (b"vary", b"Accept-Encoding"),
            (b"etag", variant.etag.encode()),
            (b"cache-control", self.cache.to_header().encode()),
        ]
        if variant.encoding:
            headers.append((b"content-encoding", variant.encoding.encode()))
        if _header(scope, b"if-none-match") == variant.etag:
            await send(_start(304, headers))
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        body = variant.path.read_bytes() if scope.get("method") == "GET" else b""
        size = variant.path.stat().st_size
        headers.append((b"content-length", str(size).encode()))
        await send(_start(200, headers))
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _start(status: int, headers: list[tuple[bytes, bytes]]) -> HTTPResponseStartEvent:
    """The response start message."""
    return {"type": "http.response.start", "status": status, "headers": headers}


def _content_type(file: Path) -> str:
    """The media type of the original file (text types in UTF-8)."""
    media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    text = media.startswith("text/") or media in {"application/javascript", "text/javascript"}
    return f"{media}; charset=utf-8" if text else media


def _header(scope: Scope, name: bytes) -> str | None:
    """One request header's value."""
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), None)


def _router(root: Path, mount: str, name: str, cache: CacheControlHeader) -> Router:
    """A static router whose files go out precompressed when the client allows it."""
    return create_static_files_router(
        path=mount,
        directories=[root],
        html_mode=mount == "/",
        name=name,
        cache_control=cache,
        middleware=[lambda app: PrecompressedFiles(app, root, mount, cache)],
    )


def pwa_routers(pwa_dir: Path) -> list[Router]:
    """Routers serving pwa_dir at `/` (none when the PWA is not built); /api stays the API's."""
    if not (pwa_dir / "index.html").exists():
        return []
    routers = []
    if (pwa_dir / "assets").is_dir():
        routers.append(_router(pwa_dir / "assets", "/assets", "pwa_assets", ASSET_CACHE))
    routers.append(_router(pwa_dir, "/", "pwa", SHELL_CACHE))
    return routers
