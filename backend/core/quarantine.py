"""Items that failed too often wait in a quarantine for the operator: what they are, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REBUILD_QUARANTINE_AFTER = 5  # failed rebuilds of one unit-year before it waits for the operator
REBUILD_RETRY_BASE = 2.0  # seconds before the first retry of a failed rebuild; doubles each time
REBUILD_RETRY_CAP = 300.0


def rebuild_retry_delay(attempts: int) -> timedelta:
    """How long a failed rebuild waits before its next try (no jitter: one rebuilder per node)."""
    return timedelta(seconds=min(REBUILD_RETRY_CAP, REBUILD_RETRY_BASE * 2 ** min(attempts, 20)))


@dataclass(frozen=True)
class OutboxItem:
    """One outbox row as the operator sees it."""

    origin: str
    unit: str
    year: int
    revision: int
    sent_revision: int
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    quarantined_at: datetime | None

    @property
    def key(self) -> str:
        """How the operator names it on the command line: ORIGIN/UNIT/YEAR."""
        return f"{self.origin}/{self.unit}/{self.year}"


@dataclass(frozen=True)
class RebuildItem:
    """A unit-year whose rebuild failed, as the operator sees it."""

    unit: str
    year: int
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    quarantined_at: datetime | None


@dataclass(frozen=True)
class QueueCounts:
    """How much waits, and how much waits for the operator."""

    pending: int
    quarantined: int
