"""`uv run python -m tests`: build the PWA, run the checkers (ruff, mypy, tsc), then the whole
suite on PostgreSQL and on SQLite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.pg import start_postgres

ROOT = Path(__file__).resolve().parent.parent
PWA = ROOT / "pwa"
SQLITE_ONLY = ("e2e", "browser")  # markers of tests that run on the SQLite leg only


def _run(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> int:
    """Run a step, echoing it, and return its exit code."""
    print(f"\n==> {' '.join(cmd)}", flush=True)
    return subprocess.run(cmd, cwd=cwd, env=env).returncode


def build_pwa() -> int:
    """npm ci (when needed), unit tests and build of the PWA; skipped when there is no PWA yet."""
    if not (PWA / "package.json").exists():
        return 0
    if shutil.which("npm") is None:
        print("npm not found: install Node.js 20+ to build the PWA", file=sys.stderr)
        return 1
    if not (PWA / "node_modules").exists():
        code = _run(["npm", "ci", "--no-audit", "--no-fund"], PWA)
        if code:
            return code
    for script in ("test", "build"):
        code = _run(["npm", "run", script], PWA)
        if code:
            return code
    return 0


PYTHON_TREES = ["backend", "shared_schema", "tests", "bench"]
LINT_STEPS: list[tuple[list[str], Path]] = [
    ([sys.executable, "-m", "ruff", "check", *PYTHON_TREES], ROOT),
    ([sys.executable, "-m", "ruff", "format", "--check", *PYTHON_TREES], ROOT),
    ([sys.executable, "-m", "mypy", "backend", "shared_schema"], ROOT),
]


def lint_leg() -> int:
    """ruff, mypy and the PWA's tsc --noEmit; every checker runs, the first failure is kept."""
    steps = list(LINT_STEPS)
    if (PWA / "node_modules").exists():
        steps.append((["npm", "run", "--silent", "typecheck"], PWA))
    codes = [_run(cmd, cwd) for cmd, cwd in steps]
    failed = [c for c in codes if c]
    print(f"==> lint: {'passed' if not failed else 'failed'}", flush=True)
    return failed[0] if failed else 0


def pytest_leg(name: str, database_url: str, args: list[str], process_tests: bool) -> int:
    """One pytest run against one database; exit code 5 (nothing collected) counts as a pass.

    Browser and e2e tests start their own SQLite node processes, so only one leg runs them, and
    there they must run (XHHT_REQUIRE_BROWSER turns a missing Chromium or PWA build into a failure).
    """
    env = {**os.environ, "XHHT_TEST_DATABASE_URL": database_url, "XHHT_TEST_LEG": name}
    if process_tests:
        env["XHHT_REQUIRE_BROWSER"] = "1"
    marks = [] if process_tests else ["-m", " and ".join(f"not {m}" for m in SQLITE_ONLY)]
    started = time.monotonic()
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *marks, *args]
    code = _run(cmd, env=env)
    print(f"==> {name}: exit {code} in {time.monotonic() - started:.0f}s", flush=True)
    return 0 if code == 5 else code


def main() -> int:
    """Every leg; the first failing exit code wins, but every leg runs."""
    args = sys.argv[1:]
    codes = [build_pwa(), lint_leg()]
    server = start_postgres()
    try:
        if server is None:
            print("PostgreSQL binaries not found: the PostgreSQL leg cannot run", file=sys.stderr)
            codes.append(1)
        else:
            codes.append(pytest_leg("postgresql", server.url, args, process_tests=False))
    finally:
        if server is not None:
            server.stop()
    codes.append(pytest_leg("sqlite", "sqlite", args, process_tests=True))
    failed = [c for c in codes if c]
    print("\n==> all legs passed" if not failed else f"\n==> failed legs: {failed}", flush=True)
    return failed[0] if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
