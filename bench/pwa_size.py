"""Print the gzipped size of the JS and CSS the PWA loads, so cheap phones on 2G stay in mind."""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

DIST = Path(__file__).resolve().parent.parent / "pwa" / "dist"
JS_TARGET = 50 * 1024
# Chunks a built chunk imports (same folder): "./x-abc.js" or "assets/x-abc.js".
IMPORT = re.compile(r'["\'`](?:\./|/?assets/)([\w.-]+\.(?:js|css))["\'`]')


def gz(path: Path) -> int:
    """Bytes after gzip -9, close to what a server sends with compression on."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def kb(size: int) -> str:
    """Kibibytes, right-aligned."""
    return f"{size / 1024:7.1f} KB"


def loaded_by_page(dist: Path) -> list[Path]:
    """Assets index.html references (scripts, styles, modulepreloads) and their CSS/JS imports."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="/?([^"]+\.(?:js|css))"', html)
    seen: list[Path] = []
    queue = [dist / r for r in refs]
    while queue:
        path = queue.pop()
        if path in seen or not path.exists():
            continue
        seen.append(path)
        if path.suffix == ".js":
            queue += [path.parent / name for name in IMPORT.findall(path.read_text("utf-8"))]
    return sorted(seen)


def main() -> int:
    """Print one line per file and the totals; exit 1 if the JS budget is exceeded."""
    if not (DIST / "index.html").exists():
        print("pwa/dist is missing: run `npm run build` in pwa/ first", file=sys.stderr)
        return 2
    files = loaded_by_page(DIST)
    totals = {".js": 0, ".css": 0}
    for path in files:
        size = gz(path)
        totals[path.suffix] += size
        print(f"{path.relative_to(DIST)!s:40} {kb(path.stat().st_size)} raw {kb(size)} gz")
    sw = DIST / "sw.js"
    if sw.exists():
        print(f"{'sw.js (service worker)':40} {kb(sw.stat().st_size)} raw {kb(gz(sw))} gz")
    print(f"page JS total:  {kb(totals['.js'])} gzipped (target ≤ {JS_TARGET // 1024} KB)")
    print(f"page CSS total: {kb(totals['.css'])} gzipped")
    return 0 if totals[".js"] <= JS_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
