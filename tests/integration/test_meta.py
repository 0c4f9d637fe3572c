"""Health, OpenAPI and the framework document the PWA caches."""

from __future__ import annotations

from tests.conftest import Node


async def test_health_checks_the_database(node: Node):
    answer = await node.client.get("/health")
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    assert answer.json()["outbox"] == {"pending": 0, "quarantined": 0}
    assert answer.json()["decisions_quarantined"] == 0


async def test_openapi_document_lists_the_routes(node: Node):
    answer = await node.client.get("/schema/openapi.json")
    assert answer.status_code == 200
    assert "/api/tallies" in answer.json()["paths"]


async def test_framework_is_served_with_an_etag_and_revalidates(node: Node):
    first = await node.client.get("/api/framework")
    assert first.status_code == 200
    fields = {f["code"]: f for f in first.json()["tally"]["fields"]}
    assert fields["families_recognized"]["label"]["vi"] == (
        'Gia đình được công nhận "Gia đình học tập"'
    )
    etag = first.headers["etag"]
    again = await node.client.get("/api/framework", headers={"If-None-Match": etag})
    assert again.status_code == 304
