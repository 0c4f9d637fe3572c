"""The OpenAPI document is enough to build a client: bodies, problems and content types."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from tests.conftest import Node
from tests.factories import tally_body
from tests.integration.test_assessment_api import answer_everything

WRITES = ("post", "put", "patch", "delete")
# Actions whose whole input is in the path: they have nothing to send.
PATH_ONLY = {
    ("post", "/api/units/{code}/dossier/{year}/open"),
    ("post", "/api/units/{code}/yearly-report/{year}/sent"),
    ("post", "/api/units/{code}/reports/{report}/{year}/sent"),
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


def _response_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    """The 200 JSON schema of a GET, resolvable against the document's components."""
    content = document["paths"][path]["get"]["responses"]["200"]["content"]
    return {**content["application/json"]["schema"], "components": document["components"]}


async def test_real_status_and_assessment_answers_match_the_document(node: Node):
    document = await _document(node)
    await node.client.post("/api/tallies", json=tally_body(), headers=node.auth("thon_dakpek_1"))
    await answer_everything(node, "23353", "xa_dakpek")
    await node.rebuild()
    checks = [
        ("/api/units/{code}/status", "/api/units/23353/status"),
        ("/api/units/{code}/status", "/api/units/610/status"),
        ("/api/units/{code}/assessment", "/api/units/23353/assessment"),
    ]
    for template, path in checks:
        answer = await node.client.get(path, params={"year": 2025}, headers=node.auth("tinh"))
        assert answer.status_code == 200
        validator = jsonschema_rs.Draft202012Validator(_response_schema(document, template))
        errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(answer.json())]
        assert errors == [], (path, errors[:5])
