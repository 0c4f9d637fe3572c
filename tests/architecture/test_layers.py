"""The import arrows of ARCHITECTURE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

ALLOWED = {
    "shared_schema": {"shared_schema", "msgspec", "yaml"},
    "backend.core": {"backend.core", "shared_schema"},
    "backend.db": {
        "backend.db",
        "backend.core",
        "shared_schema",
        "sqlalchemy",
        "alembic",
        "msgspec",
        "asyncpg",  # the tally hot path's own connections (db/driver_pool.py)
    },
    "backend.services": {
        "backend.services",
        "backend.core",
        "backend.db",
        "backend.config",
        "shared_schema",
        "sqlalchemy",
        "argon2",
        "msgspec",
        "vietnam_provinces",
        "backend.reports",
        "cryptography",  # activation codes are sealed for the printed sheet
        "zxcvbn",  # its maintained list of common passwords
    },
    "backend.reports": {
        "backend.reports",
        "backend.core",
        "shared_schema",
        "docx",
        "openpyxl",
        "fpdf",
        "segno",
        "font_roboto",
    },
    "backend.web": {
        "backend.web",
        "backend.services",
        "backend.core",
        "backend.db",
        "backend.config",
        "shared_schema",
        "litestar",
        "jwt",
        "msgspec",
        "openpyxl",
        "prometheus_client",
        "backend.relay",  # the composition root starts the relay as a lifespan task
    },
    "backend.relay": {
        "backend.relay",
        "backend.services",
        "backend.core",
        "backend.db",
        "backend.config",
        "shared_schema",
        "httpx",
        "jwt",
        "cryptography",
        "msgspec",
    },
}
STDLIB_HINT = {"__future__"}


def _module_name(path: Path) -> str:
    """Dotted module name of a file under the repository."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Top-level names this file imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _layer(module: str) -> str | None:
    """The layer a module belongs to, if it is layered."""
    return next(
        (
            layer
            for layer in sorted(ALLOWED, key=len, reverse=True)
            if module == layer or module.startswith(layer + ".")
        ),
        None,
    )


def _third_party_or_project(name: str) -> bool:
    """Stdlib imports are always allowed."""
    import sys

    top = name.split(".")[0]
    return top not in sys.stdlib_module_names and top not in STDLIB_HINT


def test_every_layer_imports_only_what_it_may():
    offences = []
    for path in list((ROOT / "backend").rglob("*.py")) + list(
        (ROOT / "shared_schema").rglob("*.py")
    ):
        if "migrations" in path.parts:
            continue
        module = _module_name(path)
        layer = _layer(module)
        if layer is None:
            continue
        for name in _imports(path):
            if not _third_party_or_project(name):
                continue
            if not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED[layer]):
                offences.append(f"{module} imports {name}")
    assert offences == []


def test_the_pure_core_does_no_io_and_no_async():
    for path in (ROOT / "backend" / "core").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "async def" not in source, path
        assert "open(" not in source, path
