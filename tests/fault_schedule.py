"""A seeded random fault schedule over node processes, checked against the client's ground truth.

The client plays the village heads: every tally keeps its UUID and is resent until a node
acknowledges it (as the PWA's outbox does), so the truth is each village's acknowledged tally
with the highest revision. Meanwhile nodes are SIGKILLed and restarted, SIGSTOPped and
continued, killed right after acknowledging, and sent duplicates, concurrent and revised tallies.
Used by tests/e2e/test_faults.py (a short schedule) and bench/faults.py (longer ones).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from backend.demo import plausible_tally
from backend.launcher import Federation, kontum_units

YEAR = 2025
# Seven nodes on three levels; every other commune is hosted by its district's node.
TOPOLOGY: list[tuple[str, str | None]] = [
    ("62", None),
    ("610", "62"),
    ("611", "62"),
    ("23353", "610"),
    ("23347", "610"),
    ("23377", "611"),
    ("23380", "611"),
]
ACTIONS = ("submit", "revise", "concurrent", "duplicate", "kill", "stop", "kill_after_ack")
WEIGHTS = (4, 3, 2, 2, 2, 2, 2)
FIELDS_CHECKED = "every summed field and the village count"


@dataclass
class Sent:
    """One tally as the phone keeps it: same UUID and body on every retry."""

    node: str
    village: str
    body: dict[str, Any]
    receipt: dict[str, Any] | None = None


@dataclass
class Outcome:
    """What a schedule did and how it ended."""

    seed: int
    faults: Counter[str] = field(default_factory=Counter)
    submitted: int = 0
    acknowledged: int = 0
    retries: int = 0
    server_errors: int = 0
    duplicates_checked: int = 0
    villages: int = 0
    convergence_s: float | None = None
    lost: int = 0
    stale: int = 0
    double_counted: int = 0
    mismatches: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and assertion messages."""
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        converged = "never" if self.convergence_s is None else f"{self.convergence_s:.1f}s"
        return (
            f"seed={self.seed} (replay: XHHT_FAULT_SEED={self.seed}) tallies={self.submitted} "
            f"acknowledged={self.acknowledged} villages={self.villages} retries={self.retries} "
            f"5xx={self.server_errors} duplicates={self.duplicates_checked} faults={{{faults}}} "
            f"lost={self.lost} stale={self.stale} double={self.double_counted} "
            f"converged after last fault={converged}"
        )


class Client:
    """The village heads and officers: submissions, retries, the ground truth and the views."""

    def __init__(self, fed: Federation, tokens: dict[str, str], outcome: Outcome) -> None:
        self.fed, self.tokens, self.outcome = fed, tokens, outcome
        self.sent: list[Sent] = []
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(6.0, connect=2.0))

    def headers(self, node: str) -> dict[str, str]:
        """The node admin's bearer token."""
        return {"Authorization": f"Bearer {self.tokens[node]}"}

    def new(self, node: str, village: str, values: dict[str, int]) -> Sent:
        """A tally written on the phone (not sent yet)."""
        body = {"client_uuid": str(uuid.uuid4()), "village": village, "year": YEAR}
        sent = Sent(node, village, {**body, "values": values})
        self.sent.append(sent)
        self.outcome.submitted += 1
        return sent

    async def send(self, sent: Sent) -> bool:
        """POST once; True when the node acknowledged it (201 new, 200 already stored)."""
        try:
            answer = await self.http.post(
                f"{self.fed.nodes[sent.node].url}/api/tallies",
                json=sent.body,
                headers=self.headers(sent.node),
            )
        except httpx.HTTPError:
            return False
        if answer.status_code >= 500:
            self.outcome.server_errors += 1
            return False
        assert answer.status_code in (200, 201), f"{sent.village}: {answer.text}"
        receipt = answer.json()
        if sent.receipt is not None:  # a resend of an acknowledged tally: the same receipt
            assert (receipt["id"], receipt["revision"]) == (
                sent.receipt["id"],
                sent.receipt["revision"],
            ), f"duplicate of {sent.village} got another receipt"
        else:
            sent.receipt = receipt
            self.outcome.acknowledged += 1
        return True

    def pending(self) -> list[Sent]:
        """Tallies no node has acknowledged yet."""
        return [s for s in self.sent if s.receipt is None]

    async def flush(self) -> None:
        """Resend every unacknowledged tally once, concurrently."""
        waiting = self.pending()
        self.outcome.retries += len(waiting)
        await asyncio.gather(*(self.send(s) for s in waiting))

    def truth(self) -> dict[str, dict[str, int]]:
        """Each village's acknowledged tally with the highest revision."""
        best: dict[str, Sent] = {}
        for s in self.sent:
            if s.receipt is None:
                continue
            kept = best.get(s.village)
            if kept is None or s.receipt["revision"] > kept.receipt["revision"]:  # type: ignore[index]
                best[s.village] = s
        return {village: dict(s.body["values"]) for village, s in best.items()}

    async def get(self, node: str, path: str, **params: Any) -> Any:
        """A GET that must succeed (the federation is whole again when views are read)."""
        answer = await self.http.get(
            f"{self.fed.nodes[node].url}{path}",
            params={"year": YEAR, **params},
            headers=self.headers(node),
            timeout=20.0,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()


def expected_totals(truth: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """What every unit above the villages must show: field sums and the village count."""
    parents = {u.code: u.parent_code for u in kontum_units()}
    expected: dict[str, Counter[str]] = {}
    for village, values in truth.items():
        unit = parents[village]
        while unit:
            sums = expected.setdefault(unit, Counter())
            sums.update(values)
            sums["village_count"] += 1
            unit = parents[unit]
    return {unit: dict(sums) for unit, sums in expected.items()}


def classify(outcome: Outcome, where: str, shown: dict[str, int], wanted: dict[str, int]) -> None:
    """Count a difference as lost, double-counted or stale figures."""
    seen, due = shown.get("village_count", 0), wanted.get("village_count", 0)
    if seen < due:
        outcome.lost += due - seen
    elif seen > due:
        outcome.double_counted += seen - due
    else:
        outcome.stale += 1
    outcome.mismatches.append(f"{where}: villages {seen}/{due}")


def running_node(fed: Federation, unit: str) -> str:
    """The node that runs a unit: its own, else the nearest node above it."""
    parents = {u.code: u.parent_code for u in kontum_units()}
    code: str | None = unit
    while code and code not in fed.nodes:
        code = parents[code]
    assert code is not None
    return code


def tally_sums(totals: dict[str, int]) -> dict[str, int]:
    """The summed tally figures of a view (not the standards' counters of communes)."""
    return {k: v for k, v in totals.items() if not k.startswith("standard.")}


async def views(client: Client) -> list[tuple[str, str, dict[str, int]]]:
    """(where, unit, tally sums) from every status and federation view that shows a unit."""
    fed = client.fed
    found = []
    units = [u for u in kontum_units() if u.level in ("province", "district", "commune")]
    for unit in units:
        node = running_node(fed, unit.code)
        status = await client.get(node, f"/api/units/{unit.code}/status")
        found.append((f"status@{node}", unit.code, tally_sums(status["totals"])))
    for node, levels in (("62", ("province", "district", "commune")), ("610", ("commune",))):
        for level in levels:
            for row in await client.get(node, "/api/federation/status", level=level):
                found.append(
                    (f"federation[{level}]@{node}", row["unit"], tally_sums(row["totals"]))
                )
    for row in await client.get("611", "/api/federation/status", level="commune"):
        found.append(("federation[commune]@611", row["unit"], tally_sums(row["totals"])))
    return found


async def check(client: Client) -> Outcome:
    """Compare every view with the truth; the differences as a fresh outcome."""
    result = Outcome(client.outcome.seed)
    wanted = expected_totals(client.truth())
    for where, unit, totals in await views(client):
        if totals != wanted.get(unit, {}):
            classify(result, f"{where} {unit}", totals, wanted.get(unit, {}))
    return result


class Schedule:
    """Runs one seeded schedule against a started federation."""

    def __init__(
        self, fed: Federation, client: Client, seed: int, log: Callable[[str], None]
    ) -> None:
        self.fed, self.client, self.log = fed, client, log
        self.rng = random.Random(seed)
        self.outcome = client.outcome
        self.faulted: set[str] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.last_fault_end = time.monotonic()
        self.villages = self._villages()
        self.outcome.villages = sum(len(v) for v in self.villages.values())

    def _villages(self) -> dict[str, list[str]]:
        """Up to four villages per node, from the communes it hosts (seeded)."""
        lines = kontum_units()
        chosen: dict[str, list[str]] = {}
        for node in self.fed.nodes:
            hosted = set(self.fed.hosted_communes(node))
            villages = sorted(
                u.code for u in lines if u.level == "village" and u.parent_code in hosted
            )
            if villages:
                chosen[node] = self.rng.sample(villages, min(4, len(villages)))
        return chosen

    def _tally_node(self) -> str:
        """Where the next tally goes (seeded): any node hosting villages, faulted or not."""
        return self.rng.choice(sorted(self.villages))

    async def _send(self, sent: Sent) -> None:
        """Send now; to a faulted node in the background (it fails or hangs, and is resent)."""
        if sent.node in self.faulted:
            self._later(self.client.send(sent))
        else:
            await self.client.send(sent)

    def _tally(self, node: str, village: str | None = None) -> Sent:
        """A new tally (or a revision, for a village already sent) written for a node."""
        village = village or self.rng.choice(self.villages[node])
        return self.client.new(node, village, plausible_tally(self.rng))

    def _later(self, coroutine: Any) -> None:
        """Run a fault's second half in the background."""
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _restart(self, node: str, after: float) -> None:
        """Start a killed node again after a while; the fault ends when it answers."""
        await asyncio.sleep(after)
        self.fed.start(node)
        await self.fed.wait_healthy([node])
        self.faulted.discard(node)
        self.last_fault_end = time.monotonic()

    async def _resume(self, node: str, after: float) -> None:
        """SIGCONT a stopped node after a while."""
        await asyncio.sleep(after)
        self.fed.signal(node, signal.SIGCONT)
        self.faulted.discard(node)
        self.last_fault_end = time.monotonic()

    async def _victim(self) -> str:
        """A node (any level) without a fault; waits while two are already faulted."""
        while len(self.faulted) >= 2 and self.tasks:
            await asyncio.wait(set(self.tasks), return_when=asyncio.FIRST_COMPLETED)
        return self.rng.choice(sorted(set(self.fed.nodes) - self.faulted))

    async def _process_fault(self, action: str) -> None:
        """SIGKILL (restarted later) or SIGSTOP (continued later) a node."""
        victim = await self._victim()
        self.faulted.add(victim)
        self.outcome.faults[action] += 1
        pause = self.rng.uniform(0.5, 4.0)
        if action == "kill":
            self.fed.kill(victim)
            self._later(self._restart(victim, pause))
        else:
            self.fed.signal(victim, signal.SIGSTOP)
            self._later(self._resume(victim, pause))

    async def _kill_after_ack(self) -> None:
        """A tally acknowledged, then its node SIGKILLed at once: the tally must survive."""
        await self._victim()
        node = self.rng.choice(sorted(set(self.villages) - self.faulted) or sorted(self.villages))
        sent = self._tally(node)
        if node not in self.faulted and await self.client.send(sent):
            self.faulted.add(node)
            self.fed.kill(node)
            self.outcome.faults["kill_after_ack"] += 1
            self._later(self._restart(node, self.rng.uniform(0.2, 2.0)))

    async def step(self) -> None:
        """One seeded action, and now and then a resend of what is still unacknowledged."""
        action = self.rng.choices(ACTIONS, WEIGHTS)[0]
        node = self._tally_node()
        if action in ("kill", "stop"):
            await self._process_fault(action)
        elif action == "kill_after_ack":
            await self._kill_after_ack()
        elif action == "duplicate":
            done = [s for s in self.client.sent if s.receipt is not None and s.node == node]
            if done and node not in self.faulted and await self.client.send(self.rng.choice(done)):
                self.outcome.duplicates_checked += 1
        elif action == "concurrent":
            village = self.rng.choice(self.villages[node])
            batch = [self._tally(node, village), self._tally(node, village), self._tally(node)]
            await asyncio.gather(*(self._send(s) for s in batch))
        else:  # submit or revise
            sent_before = [s.village for s in self.client.sent if s.node == node]
            revised = self.rng.choice(sent_before) if action == "revise" and sent_before else None
            await self._send(self._tally(node, revised))
        if self.rng.random() < 0.3:
            self._later(self.client.flush())
        await asyncio.sleep(self.rng.uniform(0.05, 0.3))

    async def finish(self, timeout: float) -> None:
        """End every fault, get every tally acknowledged, then wait for the views to agree."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks))
        deadline = time.monotonic() + timeout
        while self.client.pending() and time.monotonic() < deadline:
            await self.client.flush()
            await asyncio.sleep(0.5)
        assert not self.client.pending(), "tallies never acknowledged"
        last = Outcome(self.outcome.seed)
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                last = await check(self.client)
                if not last.mismatches:
                    self.outcome.convergence_s = time.monotonic() - self.last_fault_end
                    return
            await asyncio.sleep(0.5)
        self.outcome.lost, self.outcome.stale = last.lost, last.stale
        self.outcome.double_counted, self.outcome.mismatches = last.double_counted, last.mismatches


async def run_schedule(
    fed: Federation, seed: int, steps: int, timeout: float, log: Callable[[str], None] = print
) -> Outcome:
    """Run `steps` seeded actions on a started federation and wait for convergence."""
    tokens = {node: await fed.token(node, "admin") for node in fed.nodes}
    client = Client(fed, tokens, Outcome(seed))
    log(f"fault schedule: seed={seed} steps={steps} (replay with XHHT_FAULT_SEED={seed})")
    schedule = Schedule(fed, client, seed, log)
    try:
        for _ in range(steps):
            await schedule.step()
        await schedule.finish(timeout)
    finally:
        for node in fed.nodes:
            fed.signal(node, signal.SIGCONT)
        await client.close()
    log(client.outcome.summary())
    return client.outcome
