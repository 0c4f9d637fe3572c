"""bench/memory.py keeps working: an idle SQLite node measured, then after a login and two views."""

from __future__ import annotations

import pytest

from bench import memory

pytestmark = pytest.mark.e2e


def test_the_memory_bench_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    memory.main(["--sqlite-only", "--no-breakdown", "--settle", "0.5"])
    printed = capsys.readouterr().out
    assert "SQLite      idle" in printed, printed
    assert "after login + status views" in printed, printed
