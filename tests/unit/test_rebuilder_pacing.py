"""Under steady writes the rebuilder spaces its folds instead of folding back to back."""

from __future__ import annotations

import asyncio
import time

import pytest

from backend.relay.rebuilder import FOLD_SHARE, LONGEST_GAP, Rebuilder


class StubbornRebuilder(Rebuilder):
    """Every fold takes marks and lasts `fold_seconds` on a fake clock."""

    def __init__(self, fold_seconds: float, clock: list[float]) -> None:
        super().__init__(db=None, framework=None, node_unit="62")  # type: ignore[arg-type]
        self.fold_seconds, self.clock = fold_seconds, clock

    async def run_once(self) -> int:
        self.clock[0] += self.fold_seconds
        return 3


async def _pauses_between_folds(
    monkeypatch: pytest.MonkeyPatch, fold_seconds: float, folds: int = 3
) -> list[float]:
    """The pauses the rebuilder asks for between `folds` folds (no real waiting)."""
    clock = [0.0]
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == folds:
            raise asyncio.CancelledError

    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(asyncio, "sleep", pause)
    with pytest.raises(asyncio.CancelledError):
        await StubbornRebuilder(fold_seconds, clock).run()
    return pauses


async def test_folds_under_steady_writes_leave_the_node_most_of_its_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pauses = await _pauses_between_folds(monkeypatch, fold_seconds=0.03)
    for pause in pauses:
        assert 0.03 / (0.03 + pause) == pytest.approx(FOLD_SHARE)


async def test_quick_folds_still_let_a_burst_settle_and_slow_ones_wait_at_most_the_longest_gap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert await _pauses_between_folds(monkeypatch, fold_seconds=0.001) == [0.05] * 3
    assert await _pauses_between_folds(monkeypatch, fold_seconds=5.0) == [LONGEST_GAP] * 3
