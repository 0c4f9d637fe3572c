"""bench/national.py keeps working: a small country on SQLite, every figure printed and checked."""

from __future__ import annotations

import argparse

import pytest

from bench import national

pytestmark = pytest.mark.e2e


async def test_the_national_bench_runs_small_and_its_totals_check(
    capsys: pytest.CaptureFixture[str],
):
    options = argparse.Namespace(
        provinces=2, villages=40, villages_per_commune=2, samples=2, batch=50, sqlite=True
    )
    await national.main(options)
    printed = capsys.readouterr().out
    assert "check: 2 provinces" in printed  # the bench asserts the totals equal the pushes
    for figure in (
        "federation view → communes, first page",
        "one village's change",
        "memory (resident)",
    ):
        assert figure in printed, printed
