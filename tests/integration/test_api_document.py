"""The OpenAPI document is enough to build a client: bodies, problems and content types."""

from __future__ import annotations

from typing import Any

from tests.conftest import Node

WRITES = ("post", "put", "patch", "delete")
# Actions whose whole input is in the path: they have nothing to send.
PATH_ONLY = {
    ("post", "/api/units/{code}/dossier/{year}/open"),
    ("post", "/api/units/{code}/yearly-report/{year}/sent"),
    ("post", "/api/sync/children/{unit}/revoke"),
}


async def _document(node: Node) -> dict[str, Any]:
    answer = await node.client.get("/schema/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


async def test_every_write_operation_declares_its_request_body(node: Node):
    paths = (await _document(node))["paths"]
    writes = [(m, p) for p, item in paths.items() for m in WRITES if m in item]
    with_body = [(m, p) for m, p in writes if "requestBody" in paths[p][m]]
    missing = sorted(set(writes) - set(with_body) - PATH_ONLY)
    print(f"write operations: {len(writes)}, with a request body: {len(with_body)}")
    assert missing == []
    assert len(with_body) == len(writes) - len(PATH_ONLY) >= 21


async def test_raw_bodies_are_declared_with_their_media_type(node: Node):
    paths = (await _document(node))["paths"]
    evidence = paths["/api/units/{code}/evidence"]["post"]["requestBody"]["content"]
    assert "application/octet-stream" in evidence
    assert "text/csv" in paths["/api/targets/import"]["post"]["requestBody"]["content"]
    assert "application/jwt" in paths["/api/sync/snapshots"]["post"]["requestBody"]["content"]


async def test_problem_responses_are_documented_as_problem_json(node: Node):
    document = await _document(node)
    assert "Problem" in document["components"]["schemas"]
    login = document["paths"]["/api/auth/login"]["post"]["responses"]
    for status in ("401", "422", "429"):
        assert "application/problem+json" in login[status]["content"]


async def test_method_not_allowed_says_which_methods_are(node: Node):
    answer = await node.client.delete("/api/tallies", headers=node.auth("admin"))
    assert answer.status_code == 405
    assert answer.json()["code"] == "method_not_allowed"
    assert {"GET", "POST"} <= {m.strip() for m in answer.headers["allow"].split(",")}
