"""Fold queued changes into snapshots in the background: many tallies, one rebuild per unit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from backend.db.database import Database
from backend.services.rebuilds import rebuild_pending
from shared_schema.framework import Framework

log = logging.getLogger("xhht.rebuilder")
# While writes keep coming, folding may take this share of the node's time; the rest serves.
FOLD_SHARE = 0.2
LONGEST_GAP = 3.0  # seconds: a change under steady writes waits at most this (plus a fold)


class Rebuilder:
    """Runs inside the node process; woken by writes, and polling for other processes' writes."""

    def __init__(
        self,
        db: Database,
        framework: Framework,
        node_unit: str,
        interval: float = 0.5,
        settle: float = 0.05,
    ) -> None:
        self.db, self.framework, self.node_unit = db, framework, node_unit
        self.interval, self.settle = interval, settle
        self.event = asyncio.Event()
        self.folded = asyncio.Event()  # set after a fold: the relay pushes without its wait

    def wake(self) -> None:
        """Figures changed: rebuild soon."""
        self.event.set()

    async def run_once(self) -> int:
        """Fold what is queued now; how many marks were taken."""
        taken = await rebuild_pending(self.db, self.framework, self.node_unit)
        if taken:
            self.folded.set()
            log.debug("folded %d changed units", taken, extra={"event": "rebuilt", "count": taken})
        return taken

    def gap_after(self, fold_seconds: float) -> float:
        """The pause after a fold that took marks: folds cost the whole chain above the changed
        villages whether they took one mark or a thousand, so under steady writes they are
        spaced to keep folding within FOLD_SHARE of the node's time."""
        spaced = fold_seconds * (1 - FOLD_SHARE) / FOLD_SHARE
        return min(max(self.settle, spaced), LONGEST_GAP)

    async def run(self) -> None:
        """Forever: fold what is queued; when nothing was, wait for a wake-up or the polling
        interval, then `settle` so that a burst of writes lands in one fold."""
        while True:
            started = time.monotonic()
            try:
                taken = await self.run_once()
            except Exception:  # keep serving; the marks stay queued and are retried
                log.exception("snapshot rebuild failed")
                taken = 0
            if taken:
                await asyncio.sleep(self.gap_after(time.monotonic() - started))
                continue
            self.event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.event.wait(), self.interval)
            await asyncio.sleep(self.settle)
