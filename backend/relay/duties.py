"""Exactly one process of a node runs the rebuilder and the relay, whatever the worker count."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from backend.config import Settings
from backend.db.database import Database
from backend.db.singleton import NodeSingleton
from backend.relay.rebuilder import Rebuilder
from backend.services import node_health, outbox

log = logging.getLogger("xhht.duties")


class NodeDuties:
    """Takes the node's singleton lock when free and runs the duties while holding it."""

    def __init__(
        self, db: Database, settings: Settings, rebuilder: Rebuilder, check_every: float = 5.0
    ) -> None:
        self.db, self.settings, self.rebuilder = db, settings, rebuilder
        self.lock = NodeSingleton(db, settings.database_url)
        self.check_every = check_every
        self.tasks: list[asyncio.Task[None]] = []

    def _start(self) -> None:
        """The rebuilder always; the relay when the node has a parent and it is enabled."""
        self.tasks = [asyncio.create_task(self.rebuilder.run())]
        if self.settings.parent_url and self.settings.relay_enabled:
            from backend.relay.loop import run_relay  # only nodes with a parent load httpx

            relay = run_relay(self.db, self.settings, self.rebuilder.folded)
            self.tasks.append(asyncio.create_task(relay))

    async def _stop(self) -> None:
        """Cancel the duties (the lock was lost or we are shutting down)."""
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.tasks = []

    async def _round(self) -> None:
        """Take the lock if free; notice when it was lost."""
        if not self.lock.held:
            if await self.lock.try_acquire():
                await node_health.record_holder(self.db)
                if dropped := await outbox.forget_at_root(self.db, self.settings.unit):
                    log.info("root node: dropped %d outbox rows that had no parent", dropped)
                log.info("this process runs the node's rebuilder and relay")
                self._start()
        elif not await self.lock.still_held():
            log.warning("lost the node's singleton lock; stopping the rebuilder and relay")
            await self._stop()

    async def run(self) -> None:
        """Until cancelled: hold the duties, or wait to take them over."""
        try:
            while True:
                try:
                    await self._round()
                except Exception:  # a database hiccup must not end the supervisor
                    log.exception("singleton check failed")
                await asyncio.sleep(self.check_every)
        finally:
            await self._stop()
            await self.lock.release()
