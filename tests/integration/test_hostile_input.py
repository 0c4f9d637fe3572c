"""Hostile input gets a 4xx problem with a stable code and stores nothing; never a 500."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.db.schema_base import metadata
from tests.conftest import Node
from tests.factories import tally_body

# Tables a refused request may touch: failed logins are counted on purpose.
COUNTERS = {"login_failures", "login_attempts", "revoked_tokens"}


@dataclass(frozen=True)
class Case:
    """One hostile request and the answer it must get."""

    name: str
    method: str
    path: str
    status: int
    code: str
    user: str | None = "admin"
    raw: bytes | None = None
    body: Any = None
    params: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


def _raw_login(username: bytes) -> bytes:
    return b'{"username":"' + username + b'","password":"b"}'


def _deep(depth: int) -> bytes:
    body = tally_body()
    body["values"] = {"households_total": "X"}
    text = json.dumps(body).replace('"X"', "[" * depth + "]" * depth)
    return text.encode()


CASES = [
    Case(
        "login invalid utf-8",
        "POST",
        "/api/auth/login",
        422,
        "body_malformed",
        None,
        raw=_raw_login(b"a\xff"),
    ),
    Case(
        "enroll invalid utf-8",
        "POST",
        "/api/sync/enroll",
        422,
        "body_malformed",
        None,
        raw=b'{"token":"a\xff","unit":"x","public_key":"k"}',
    ),
    Case(
        "tally invalid utf-8",
        "POST",
        "/api/tallies",
        422,
        "body_malformed",
        raw=json.dumps(tally_body())
        .replace("23353-01", "2335\udcff")
        .encode("utf-8", "surrogateescape"),
    ),
    Case(
        "snapshots not utf-8",
        "POST",
        "/api/sync/snapshots",
        422,
        "body_malformed",
        None,
        raw=b"\xff\xfe\x00garbage",
        content_type="application/jwt",
    ),
    Case(
        "rotate-key not utf-8",
        "POST",
        "/api/sync/rotate-key",
        422,
        "body_malformed",
        None,
        raw=b"\xc3\x28",
        content_type="application/jwt",
    ),
    Case(
        "values nested 100,000 deep",
        "POST",
        "/api/tallies",
        422,
        "body_too_deep",
        raw=_deep(100_000),
    ),
    Case(
        "login nested 100,000 deep",
        "POST",
        "/api/auth/login",
        422,
        "body_invalid",
        None,
        raw=b'{"username":' + b"[" * 100_000 + b"]" * 100_000 + b',"password":"b"}',
    ),
]


async def table_counts(node: Node) -> dict[str, int]:
    """Rows per table, except the counters a refusal may bump."""
    counts = {}
    async with node.db.read() as conn:
        for table in metadata.sorted_tables:
            if table.name not in COUNTERS:
                query = select(func.count()).select_from(table)
                counts[table.name] = int((await conn.execute(query)).scalar_one())
    return counts


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_hostile_request_gets_a_problem_and_stores_nothing(node: Node, case: Case):
    before = await table_counts(node)
    headers = {"Content-Type": case.content_type, **(node.auth(case.user) if case.user else {})}
    content = case.raw if case.raw is not None else json.dumps(case.body).encode()
    answer = await node.client.request(
        case.method, case.path, content=content, params=case.params, headers=headers
    )
    assert answer.status_code == case.status, (case.name, answer.text[:300])
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == case.code
    assert problem["message_vi"] and problem["message_en"]
    assert await table_counts(node) == before
