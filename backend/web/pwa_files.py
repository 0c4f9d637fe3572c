"""The built PWA as static files: the shell revalidated on every load, hashed assets kept a year."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

# index.html, sw.js and the manifest name the current hashed assets: always ask the node first.
SHELL_CACHE = CacheControlHeader(no_cache=True)
# Vite puts a content hash in every file name under assets/, so a copy never goes stale.
ASSET_CACHE = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)


def pwa_routers(pwa_dir: Path) -> list[Router]:
    """Routers serving pwa_dir at `/` (none when the PWA is not built); /api stays the API's."""
    if not (pwa_dir / "index.html").exists():
        return []
    routers = []
    if (pwa_dir / "assets").is_dir():
        routers.append(
            create_static_files_router(
                path="/assets",
                directories=[pwa_dir / "assets"],
                name="pwa_assets",
                cache_control=ASSET_CACHE,
            )
        )
    routers.append(
        create_static_files_router(
            path="/",
            directories=[pwa_dir],
            html_mode=True,
            name="pwa",
            cache_control=SHELL_CACHE,
        )
    )
    return routers
