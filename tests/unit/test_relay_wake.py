"""A fold wakes the relay: a changed figure goes up without waiting the relay's interval."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from backend.config import Settings
from backend.relay.loop import Relay


class CountingRelay(Relay):
    """A relay whose rounds only count (no parent, no database)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rounds = 0

    async def step(self) -> int:
        self.rounds += 1
        return 0


async def _rounds_after(wake: asyncio.Event | None, set_it: bool) -> int:
    relay = CountingRelay(replace(Settings.from_env({}), relay_interval=30.0))
    task = asyncio.create_task(relay.run_forever(wake))
    await asyncio.sleep(0.05)
    if wake is not None and set_it:
        wake.set()
    await asyncio.sleep(0.1)
    task.cancel()
    return relay.rounds


async def test_a_fold_starts_a_push_round_at_once_instead_of_after_the_interval():
    assert await _rounds_after(asyncio.Event(), set_it=True) == 2


async def test_without_a_fold_the_relay_waits_its_interval():
    assert await _rounds_after(asyncio.Event(), set_it=False) == 1
    assert await _rounds_after(None, set_it=False) == 1
