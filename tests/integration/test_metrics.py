"""GET /metrics: protected, and its figures move with what happens on the node."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from backend.db.tables import rebuild_queue
from backend.relay.identity import init_key
from backend.relay.loop import Relay
from tests.conftest import Node
from tests.factories import tally_body
from tests.sync_helpers import enroll, push, signed, snapshot


async def scrape(node: Node) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics, keyed by name and labels."""
    answer = await node.client.get(
        "/metrics", headers={"Authorization": f"Bearer {node.settings.metrics_token}"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    """One sample's value (0 when absent, as Prometheus treats a counter never incremented)."""
    return float(samples.get((name, frozenset(labels.items())), 0.0))


async def test_metrics_need_the_node_metrics_token(node: Node):
    assert (await node.client.get("/metrics")).status_code == 401
    wrong = await node.client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "metrics_token_invalid"


async def test_a_submission_moves_the_tally_request_and_backlog_figures(node: Node):
    before = await scrape(node)
    body = tally_body()
    headers = node.auth("thon_dakpek_1")
    assert (await node.client.post("/api/tallies", json=body, headers=headers)).status_code == 201
    assert (await node.client.post("/api/tallies", json=body, headers=headers)).status_code == 200
    bad = tally_body(households_total=-1)
    assert (await node.client.post("/api/tallies", json=bad, headers=headers)).status_code >= 400
    queued = await scrape(node)
    for outcome in ("accepted", "duplicate", "refused"):
        grown = value(queued, "xhht_tallies_total", outcome=outcome)
        assert grown - value(before, "xhht_tallies_total", outcome=outcome) == 1
    route = {"method": "POST", "route": "/api/tallies", "status": "201"}
    assert value(queued, "xhht_http_requests_total", **route) > value(
        before, "xhht_http_requests_total", **route
    )
    latency = {"method": "POST", "route": "/api/tallies"}
    assert value(queued, "xhht_http_request_duration_seconds_count", **latency) >= 3
    assert value(queued, "xhht_rebuild_queue_depth") >= 1
    await node.rebuild()
    rebuilt = await scrape(node)
    assert value(rebuilt, "xhht_rebuild_queue_depth") == 0
    assert value(rebuilt, "process_resident_memory_bytes") > 0


async def test_a_refused_push_and_an_unreachable_parent_show_up(node: Node):
    key = await enroll(node, "610")
    assert value(await scrape(node), "xhht_child_nodes", state="lost") == 1
    wrong_key = signed(key, "611", [snapshot("611", "611")])  # 611 is not this key's unit
    refused = await push(node, wrong_key)
    assert refused.status_code >= 400
    accepted = await push(node, signed(key, "610", [snapshot("610", "610")]))
    assert accepted.status_code == 200, accepted.text
    samples = await scrape(node)
    assert value(samples, "xhht_child_nodes", state="fresh") == 1
    refusals = [
        v
        for (name, labels), v in samples.items()
        if name == "xhht_http_requests_total"
        and ("route", "/api/sync/snapshots") in labels
        and dict(labels)["status"].startswith("4")
    ]
    assert sum(refusals) >= 1


async def test_an_unreachable_parent_counts_failures_and_keeps_the_backlog(node: Node):
    assert (
        await node.client.post("/api/tallies", json=tally_body(), headers=node.auth("admin"))
    ).status_code == 201
    # the relay of a district (its unit has a parent, so it keeps an outbox), parent unreachable
    node.settings = replace(
        node.settings, unit="610", parent_url="http://127.0.0.1:9", parent_unit="62"
    )
    await node.rebuild()
    init_key(node.settings.data_dir)
    settings = node.settings
    async with httpx.AsyncClient(timeout=2.0) as http:
        assert await Relay(node.db, settings, http).push_once() == 0
    samples = await scrape(node)
    assert value(samples, "xhht_relay_link_failures", parent="none") == 1
    assert value(samples, "xhht_outbox_pending", parent="none") >= 1
    assert value(samples, "xhht_last_push_success_age_seconds", parent="none") == -1


async def test_quarantine_counts_follow_the_quarantined_rebuilds(node: Node):
    assert value(await scrape(node), "xhht_rebuilds_quarantined") == 0
    now = datetime.now(UTC)
    async with node.db.write() as conn:
        await conn.execute(
            insert(rebuild_queue).values(
                unit_code="23353", year=2025, queued_at=now, attempts=5, quarantined_at=now
            )
        )
    samples = await scrape(node)
    assert value(samples, "xhht_rebuilds_quarantined") == 1
    assert value(samples, "xhht_outbox_quarantined", parent="none") == 0
    assert value(samples, "xhht_decisions_quarantined") == 0


async def test_every_answer_carries_a_request_id_also_in_problem_bodies(node: Node):
    ok = await node.client.get("/health")
    assert len(ok.headers["x-request-id"]) >= 8
    given = await node.client.get("/api/units/62", headers={"X-Request-ID": "abcdef123456"})
    assert given.headers["x-request-id"] == "abcdef123456"
    assert given.json()["request_id"] == "abcdef123456"  # a 401 problem


async def test_alert_rules_and_dashboard_use_only_metrics_the_node_exports(node: Node):
    import re

    from backend.config import REPO_ROOT
    from backend.db.repositories.ops_counts import QUARANTINES

    await node.client.post("/api/tallies", json=tally_body(), headers=node.auth("admin"))
    await node.client.post("/api/auth/login", json={"username": "x", "password": "y"})
    token = {"Authorization": f"Bearer {node.settings.metrics_token}"}
    text_format = (await node.client.get("/metrics", headers=token)).text
    exported = {name for name, _ in await scrape(node)}
    exported |= set(re.findall(r"^# TYPE (\S+)", text_format, re.MULTILINE))
    exported |= {f"xhht_{what}_quarantined" for what in QUARANTINES}
    monitoring = REPO_ROOT / "deploy" / "monitoring"
    for name in ("xhht-alerts.yml", "grafana-dashboard.json"):
        used = set(re.findall(r"\b(?:xhht|process)_[a-z_]+", (monitoring / name).read_text()))
        used = {u.removesuffix("_bucket") for u in used}
        missing = {u for u in used if u not in exported and f"{u}_count" not in exported}
        assert missing == set(), f"{name} uses metrics the node does not export: {missing}"
