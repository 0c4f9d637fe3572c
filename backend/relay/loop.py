"""The relay loop: push due outbox rows to the parent, pull decisions, back off with jitter."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from datetime import UTC, datetime, timedelta

import httpx

from backend.config import Settings
from backend.db.database import Database
from backend.relay import identity
from backend.relay.client import ParentClient, ParentRefused, ParentUnreachable
from backend.relay.identity import load_key
from backend.services import decisions, outbox
from backend.services.outbox import LinkState, RetryPolicy
from shared_schema.framework_loader import load_framework
from shared_schema.sync import Snapshot

log = logging.getLogger("xhht.relay")
CLOCK_SKEW = "sync_clock_skew"


def clock_offset(parent_time: object, now: float) -> float | None:
    """Seconds to add to our clock to read the parent's, from a clock-skew problem."""
    if not isinstance(parent_time, str):
        return None
    try:
        moment = datetime.fromisoformat(parent_time)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp() - now


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
        self.retry = RetryPolicy(
            lambda refusals: backoff(settings, refusals), settings.relay_quarantine_after
        )

    async def push_once(self) -> int:
        """Push one batch if the link is not backing off; returns how many got a verdict."""
        now = datetime.now(UTC)
        link = await outbox.link_state(self.db)
        if link.next_attempt_at and link.next_attempt_at > now:
            return 0
        batch = await outbox.due(self.db, self.settings.relay_batch)
        if not batch:
            return 0
        try:
            ack = await self.client.push(batch)
        except ParentUnreachable as exc:
            await self._link_failed(link, str(exc))
            return 0
        except ParentRefused as exc:
            await self._refused(link, batch, exc)
            return 0
        self._log_quarantined(await outbox.settle(self.db, batch, ack, self.retry))
        if ack.refused:
            log.warning(
                "parent refused %d of %d snapshots",
                ack.refused,
                len(batch),
                extra=self._fields("push_refused", ack.refused),
            )
        log.info("pushed %d snapshots", len(batch), extra=self._fields("pushed", len(batch)))
        if link.failures or link.next_attempt_at:
            log.info("parent reachable again after %d failures", link.failures)
        await outbox.save_link_state(self.db, LinkState(0, None, datetime.now(UTC)))
        return len(batch)

    async def _refused(self, link: LinkState, batch: list[Snapshot], exc: ParentRefused) -> None:
        """A whole push refused: the clock, the link, or these rows alone."""
        log.warning("parent refused %d snapshots: %s %s", len(batch), exc.code, exc.detail)
        if exc.code == CLOCK_SKEW:
            await self._clock_skewed(link, exc)
        elif exc.link_level:
            await self._link_failed(link, exc.code)
        else:
            error = f"{exc.code}: {exc.detail}"
            self._log_quarantined(await outbox.refused_whole(self.db, batch, error, self.retry))

    async def _clock_skewed(self, link: LinkState, exc: ParentRefused) -> None:
        """Sign with the parent's time from now on, tell the operator; back off if that fails."""
        offset = clock_offset(exc.members.get("parent_time"), identity.clock())
        if offset is None:
            await self._link_failed(link, exc.code)
            return
        log.warning(
            "this node's clock differs from the parent's by %+.1f s; tokens now use the parent's "
            "time. Set this machine's clock right (NTP).",
            -offset,
        )
        compensated_before = self.client.clock_offset != 0.0
        self.client.clock_offset = offset
        await outbox.save_clock_offset(self.db, offset)
        if compensated_before:
            await self._link_failed(link, exc.code)

    def _log_quarantined(self, quarantined: list[Snapshot]) -> None:
        """One line per snapshot that now waits for the operator."""
        for snap in quarantined:
            log.error(
                "snapshot %s/%s/%d revision %d quarantined after repeated refusals "
                "(see `xhht outbox list`)",
                snap.origin,
                snap.unit,
                snap.year,
                snap.revision,
            )

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
        framework = load_framework(self.settings.framework_id)
        stored = await decisions.store_pulled(self.db, page, framework, self.settings.unit)
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
                await outbox.save_pull_success(self.db)
            except (ParentUnreachable, ParentRefused) as exc:
                log.info("decision pull failed: %s", exc)
        return pushed

    async def run_forever(self, wake: asyncio.Event | None = None) -> None:
        """Loop until cancelled; a full batch goes again at once, otherwise wait an interval or
        until `wake` is set (the rebuilder folded something new to push)."""
        while True:
            try:
                pushed = await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one bad round end the relay
                log.exception("relay round failed")
                pushed = 0
            if pushed < self.settings.relay_batch:
                await pause(self.settings.relay_interval, wake)


async def pause(interval: float, wake: asyncio.Event | None) -> None:
    """Wait the interval, or less when woken; the wake-up is consumed."""
    if wake is None:
        await asyncio.sleep(interval)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wake.wait(), interval)
    wake.clear()


async def run_relay(db: Database, settings: Settings, wake: asyncio.Event | None = None) -> None:
    """The relay with its own HTTP client, until cancelled."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0)) as http:
        while True:
            try:
                relay = Relay(db, settings, http)
                break
            except FileNotFoundError:
                log.warning("no node key yet (run `xhht keys init`); relay waits")
                await asyncio.sleep(max(settings.relay_interval, 5.0))
        await relay.run_forever(wake)
