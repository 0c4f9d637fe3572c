"""GET /metrics in Prometheus text format: HTTP traffic, tallies, logins, the node's backlogs."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, get
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from backend.core.errors import Unauthenticated
from backend.db.database import Database
from backend.services.node_metrics import NodeCounts, read_counts

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: they double the output
# Process-wide: counters survive across requests; the node's data is read at scrape time.
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # process_resident_memory_bytes, cpu, open fds
HTTP_REQUESTS = Counter(
    "xhht_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "xhht_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
TALLIES = Counter(
    "xhht_tallies",
    "Tally submissions: accepted (new), duplicate (retry of a stored one) or refused",
    ["outcome"],
    registry=REGISTRY,
)
LOGIN_FAILURES = Counter(
    "xhht_login_failures", "Refused logins (wrong password, locked, bad input)", registry=REGISTRY
)
DATABASE_ERRORS = Counter(
    "xhht_database_errors", "Requests that failed on a database error", registry=REGISTRY
)
NOT_AUTHORISED = Unauthenticated(
    "metrics_token_invalid",
    "Cần mã truy cập số liệu giám sát (metrics.token trong thư mục dữ liệu)",
    "A metrics token is required (metrics.token in the data dir)",
)


class _Series:
    """The labelled series one (method, route, status) feeds, looked up once."""

    def __init__(self, method: str, route: str, status: int) -> None:
        self.requests = HTTP_REQUESTS.labels(method, route, str(status))
        self.latency = HTTP_LATENCY.labels(method, route)
        self.outcome: Any = None
        if method == "POST" and route == "/api/tallies":
            outcome = "accepted" if status == 201 else "duplicate" if status == 200 else "refused"
            self.outcome = TALLIES.labels(outcome)
        if route == "/api/auth/login" and status >= 400:
            self.outcome = LOGIN_FAILURES


# Bounded like the metrics themselves: route templates × methods × statuses.
_SERIES: dict[tuple[str, str, int], _Series] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and the domain outcome it stands for."""
    key = (method, route, status)
    series = _SERIES.get(key)
    if series is None:
        series = _SERIES[key] = _Series(method, route, status)
    series.requests.inc()
    series.latency.observe(seconds)
    if series.outcome is not None:
        series.outcome.inc()


def note_database_error(exc: BaseException) -> None:
    """Count an unexpected error raised by the database driver (web never imports it by name)."""
    if type(exc).__module__.split(".")[0] in {"sqlalchemy", "asyncpg", "sqlite3", "aiosqlite"}:
        DATABASE_ERRORS.inc()


def _gauge(name: str, doc: str, value: float, **labels: str) -> GaugeMetricFamily:
    """One gauge sample, labelled."""
    family = GaugeMetricFamily(name, doc, labels=list(labels))
    family.add_metric(list(labels.values()), value)
    return family


class NodeCollector(Collector):
    """The node's data-side metrics from one reading of its counts."""

    def __init__(self, counts: NodeCounts, parent: str, now: datetime) -> None:
        self.counts, self.parent, self.now = counts, parent or "none", now

    def _age(self, moment: datetime | None) -> float:
        """Seconds since a moment; -1 when it never happened."""
        return (self.now - moment).total_seconds() if moment else -1.0

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Backlogs, link ages, decisions, children by staleness, quarantines."""
        c, parent = self.counts, self.parent
        yield _gauge(
            "xhht_outbox_pending",
            "Snapshots waiting for the parent",
            c.outbox_pending,
            parent=parent,
        )
        yield _gauge(
            "xhht_relay_link_failures",
            "Consecutive failed pushes to the parent",
            c.link_failures,
            parent=parent,
        )
        yield _gauge(
            "xhht_last_push_success_age_seconds",
            "Seconds since the parent last acknowledged a push (-1: never)",
            self._age(c.last_push_success_at),
            parent=parent,
        )
        yield _gauge(
            "xhht_last_pull_success_age_seconds",
            "Seconds since decisions were last pulled from the parent (-1: never)",
            self._age(c.last_pull_success_at),
            parent=parent,
        )
        yield _gauge(
            "xhht_rebuild_queue_depth",
            "Changed units waiting to be folded into snapshots",
            c.rebuild_queue_depth,
        )
        decisions = GaugeMetricFamily(
            "xhht_decisions_stored", "Decisions held, by kind", labels=["kind"]
        )
        for kind, count in sorted(c.decisions_by_kind.items()):
            decisions.add_metric([kind], count)
        yield decisions
        children = GaugeMetricFamily(
            "xhht_child_nodes",
            "Enrolled child nodes by staleness (fresh < 1 day < stale < 7 days < lost)",
            labels=["state"],
        )
        for state, count in c.children_by_staleness.items():
            children.add_metric([state], count)
        yield children
        yield from self._quarantine()

    def _quarantine(self) -> Iterator[GaugeMetricFamily]:
        """Quarantined items per kind (outbox items per parent)."""
        labels = {"outbox": {"parent": self.parent}, "decisions": {}, "rebuilds": {}}
        for what, count in self.counts.quarantined.items():
            yield _gauge(
                f"xhht_{what}_quarantined", f"Quarantined {what} items", count, **labels[what]
            )


def _authorised(request: Request[Any, Any, Any], token: str) -> bool:
    """A bearer token equal (in constant time) to the node's metrics token."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given, token)


@get("/metrics", include_in_schema=False)
async def metrics(request: Request[Any, Any, Any], db: Database) -> Response[bytes]:
    """Prometheus exposition; protected by the node's metrics token."""
    settings = request.app.state.settings
    if not _authorised(request, settings.metrics_token):
        raise NOT_AUTHORISED
    now = datetime.now(UTC)
    node = CollectorRegistry()
    parent = settings.parent_unit or settings.parent_url  # the unit is known once enrolled
    node.register(NodeCollector(await read_counts(db, now), parent, now))
    body = generate_latest(REGISTRY) + generate_latest(node)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
