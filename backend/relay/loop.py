"""The relay loop: push due outbox rows to the parent, pull decisions, back off with jitter."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime, timedelta

import httpx

from backend.config import Settings
from backend.db.database import Database
from backend.relay.client import ParentClient, ParentRefused, ParentUnreachable
from backend.relay.identity import load_key
from backend.services import decisions, outbox
from backend.services.node_metrics import note_pull_success
from backend.services.outbox import LinkState

log = logging.getLogger("xhht.relay")


def backoff(settings: Settings, failures: int) -> timedelta:
    """Exponential in the failures, capped, with jitter so children do not retry in step."""
    ceiling = min(settings.relay_backoff_max, settings.relay_interval * 2 ** min(failures, 30))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


class Relay:
    """Everything the node sends up and fetches from above."""

    def __init__(self, db: Database, settings: Settings, http: httpx.AsyncClient) -> None:
        self.db, self.settings = db, settings
        self.client = ParentClient(
            http,
            settings.parent_url.rstrip("/"),
            load_key(settings.data_dir),
            settings.unit,
            settings.parent_unit,
        )
        self.next_pull = 0.0

    async def push_once(self) -> int:
        """Push one batch if the link is not backing off; returns how many were acknowledged."""
        now = datetime.now(UTC)
        link = await outbox.link_state(self.db)
        if link.next_attempt_at and link.next_attempt_at > now:
            return 0
        batch = await outbox.due(self.db, self.settings.relay_batch)
        if not batch:
            return 0
        try:
            await self.client.push(batch)
        except ParentUnreachable as exc:
            await self._link_failed(link, str(exc))
            return 0
        except ParentRefused as exc:
            log.warning(
                "parent refused %d snapshots: %s",
                len(batch),
                exc.code,
                extra=self._fields("push_refused", len(batch), exc.code),
            )
            if exc.link_level:
                await self._link_failed(link, exc.code)
            else:
                later = now + backoff(self.settings, 3)
                await outbox.refused(self.db, batch, f"{exc.code}: {exc.detail}", later)
            return 0
        await outbox.acknowledged(self.db, batch)
        log.info("pushed %d snapshots", len(batch), extra=self._fields("pushed", len(batch)))
        if link.failures or link.next_attempt_at:
            log.info("parent reachable again after %d failures", link.failures)
        await outbox.save_link_state(self.db, LinkState(0, None, datetime.now(UTC)))
        return len(batch)

    async def _link_failed(self, link: LinkState, error: str) -> None:
        """Back the whole link off and remember it in the database."""
        delay = backoff(self.settings, link.failures)
        log.info(
            "push failed; next try in %.1fs",
            delay.total_seconds(),
            extra=self._fields("push_failed", link.failures + 1, error),
        )
        state = LinkState(link.failures + 1, datetime.now(UTC) + delay, link.last_success_at)
        await outbox.save_link_state(self.db, state)

    async def pull_once(self) -> int:
        """Fetch new decisions from the parent; returns how many were new here."""
        since = await decisions.cursor(self.db)
        page = await self.client.pull(since)
        stored = await decisions.store_pulled(self.db, page)
        await note_pull_success(self.db)
        if stored:
            log.info("pulled %d decisions", stored, extra=self._fields("pulled", stored))
        return stored

    def _fields(self, event: str, count: int, error: str = "") -> dict[str, object]:
        """The structured fields of a relay log line (the same names as request lines)."""
        fields: dict[str, object] = {
            "event": event,
            "unit": self.settings.unit,
            "parent": self.settings.parent_unit or self.settings.parent_url,
            "count": count,
        }
        if error:
            fields["error"] = error
        return fields

    async def step(self) -> int:
        """One round: push what is due; pull decisions when their interval has passed."""
        pushed = await self.push_once()
        loop_now = asyncio.get_running_loop().time()
        if loop_now >= self.next_pull:
            self.next_pull = loop_now + self.settings.pull_interval
            try:
                await self.pull_once()
            except (ParentUnreachable, ParentRefused) as exc:
                log.info("decision pull failed: %s", exc)
        return pushed

    async def run_forever(self) -> None:
        """Loop until cancelled; a full batch goes again at once, otherwise wait an interval."""
        while True:
            try:
                pushed = await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one bad round end the relay
                log.exception("relay round failed")
                pushed = 0
            if pushed < self.settings.relay_batch:
                await asyncio.sleep(self.settings.relay_interval)


async def run_relay(db: Database, settings: Settings) -> None:
    """The relay with its own HTTP client, until cancelled."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0)) as http:
        while True:
            try:
                relay = Relay(db, settings, http)
                break
            except FileNotFoundError:
                log.warning("no node key yet (run `xhht keys init`); relay waits")
                await asyncio.sleep(max(settings.relay_interval, 5.0))
        await relay.run_forever()
