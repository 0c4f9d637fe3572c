"""Bad input always gets a clear problem response and stores nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Node
from tests.factories import tally_body, tally_values
from tests.integration.test_tallies_api import count_tallies

OK = tally_values()


def _without(field: str) -> dict[str, int]:
    """Valid values less one required field."""
    return {k: v for k, v in OK.items() if k != field}


BAD_VALUES = [
    (
        "recognised above registered",
        {**OK, "families_recognized": 101},
        "families_recognized",
        "families_order",
    ),
    (
        "registered above total",
        {**OK, "citizens_registered": 401},
        "citizens_registered",
        "citizens_order",
    ),
    (
        "university above trained",
        {**OK, "university_total": 201},
        "university_total",
        "training_order",
    ),
    ("negative", {**OK, "clans_total": -1}, "clans_total", "negative"),
    ("fractional", {**OK, "households_total": 120.5}, "households_total", "not_whole"),
    ("text", {**OK, "households_total": "120"}, "households_total", "not_a_number"),
    ("boolean", {**OK, "households_total": True}, "households_total", "not_a_number"),
    ("unknown field", {**OK, "pets_total": 3}, "pets_total", "unknown_field"),
    ("missing field", _without("trained_total"), "trained_total", "required"),
    (
        "yes/no above one",
        {**OK, "village_community_recognized": 2},
        "village_community_recognized",
        "too_large",
    ),
]


@pytest.mark.parametrize(
    ("case", "values", "field", "code"), BAD_VALUES, ids=[c[0] for c in BAD_VALUES]
)
async def test_invalid_values_name_the_field_in_both_languages_and_store_nothing(
    node: Node, case: str, values: dict[str, object], field: str, code: str
):
    body = tally_body(values=None)
    body["values"] = values
    answer = await node.client.post("/api/tallies", json=body, headers=node.auth("thon_dakpek_1"))
    assert answer.status_code == 422, case
    problem = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "tally_invalid"
    errors = {(e["field"], e["code"]) for e in problem["errors"]}
    assert (field, code) in errors
    assert all(e["message_vi"] and e["message_en"] for e in problem["errors"])
    assert await count_tallies(node) == 0


RAW_BODIES = [
    ("malformed json", b'{"client_uuid": ', "body_malformed", 422),
    ("not an object", b"[1, 2, 3]", "body_invalid", 422),
    (
        "uuid not a uuid",
        json.dumps({**tally_body(), "client_uuid": "abc"}).encode(),
        "body_invalid",
        422,
    ),
    ("year as text", json.dumps({**tally_body(), "year": "2025"}).encode(), "body_invalid", 422),
    (
        "values as list",
        json.dumps({**tally_body(), "values": [1, 2]}).encode(),
        "body_invalid",
        422,
    ),
    (
        "extra top-level field",
        json.dumps({**tally_body(), "hack": 1}).encode(),
        "body_invalid",
        422,
    ),
    (
        "year far in the future",
        json.dumps({**tally_body(), "year": 3000}).encode(),
        "year_out_of_range",
        422,
    ),
    ("ten megabytes", b'{"x": "' + b"a" * 10_000_000 + b'"}', "body_too_large", 413),
]


@pytest.mark.parametrize(
    ("case", "raw", "code", "status"), RAW_BODIES, ids=[c[0] for c in RAW_BODIES]
)
async def test_malformed_bodies_get_problems_and_store_nothing(
    node: Node, case: str, raw: bytes, code: str, status: int
):
    headers = {**node.auth("thon_dakpek_1"), "Content-Type": "application/json"}
    answer = await node.client.post("/api/tallies", content=raw, headers=headers)
    assert answer.status_code == status, (case, answer.text[:300])
    assert answer.json()["code"] == code
    assert answer.json()["message_vi"] and answer.json()["message_en"]
    assert await count_tallies(node) == 0


async def test_unknown_village_and_unknown_route_are_problems(node: Node):
    body = tally_body(village="99999-01")
    answer = await node.client.post("/api/tallies", json=body, headers=node.auth("admin"))
    assert answer.status_code == 404 and answer.json()["code"] == "unit_not_found"
    missing = await node.client.get("/api/nothing-here", headers=node.auth("admin"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


async def test_bad_query_parameters_are_problems_not_errors(node: Node):
    answer = await node.client.get(
        "/api/tallies", params={"unit": "23353", "year": "abc"}, headers=node.auth("xa_dakpek")
    )
    assert answer.status_code == 400 and answer.json()["code"] == "request_invalid"


async def test_requests_without_or_with_a_forged_token_are_refused(node: Node):
    anonymous = await node.client.post("/api/tallies", json=tally_body())
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    forged = await node.client.post(
        "/api/tallies", json=tally_body(), headers={"Authorization": "Bearer abc.def.ghi"}
    )
    assert forged.status_code == 401 and forged.json()["code"] == "token_invalid"
