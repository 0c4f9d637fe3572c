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
COUNTERS = {"login_failures", "login_throttle", "revoked_tokens"}


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
    # Years outside the framework's window, in paths, queries and bodies.
    *[
        Case(f"year {y} on {path}", "GET", path, 422, "year_out_of_range", params={"year": y})
        for y in ("9223372036854775808", "0", "-1", "9999", "10000")
        for path in (
            "/api/units/610/status",
            "/api/units/610/timeliness",
            "/api/units/610/reports/units-summary.xlsx",
        )
    ],
    *[
        Case(
            f"year 2^63 on {path}",
            "GET",
            path,
            422,
            "year_out_of_range",
            params={"year": "9223372036854775808", **extra},
        )
        for path, extra in (
            ("/api/tallies", {"unit": "23353"}),
            ("/api/tallies/history", {"village": "23353-01"}),
            ("/api/units/23353/assessment", {}),
            ("/api/units/23353/evidence", {}),
            ("/api/units/23353/dossier", {}),
            ("/api/units/23353/reports/self-assessment.docx", {}),
            ("/api/units/23353/reports/criteria-summary.xlsx", {}),
            ("/api/targets", {"unit": "610"}),
            ("/api/decisions", {}),
            ("/api/federation/status", {}),
        )
    ],
    Case(
        "year 2^63 in a PUT path",
        "PUT",
        "/api/units/23353/targets/9223372036854775808",
        422,
        "year_out_of_range",
        body={"target_level": 1},
    ),
    Case(
        "year 2^63 in an answer path",
        "PUT",
        "/api/units/23353/assessment/9223372036854775808/1.1",
        422,
        "year_out_of_range",
        body={"met": True},
    ),
    Case(
        "recognition year 2^63",
        "POST",
        "/api/units/23353/recognitions",
        422,
        "body_invalid",
        body={
            "year": 2**63,
            "level": 1,
            "decision_no": "1",
            "decided_on": "2025-01-01",
            "signer": "A",
        },
    ),
    Case(
        "recognition year 0",
        "POST",
        "/api/units/23353/recognitions",
        422,
        "body_invalid",
        body={"year": 0, "level": 1, "decision_no": "1", "decided_on": "2025-01-01", "signer": "A"},
    ),
    Case(
        "recognition year 1999",
        "POST",
        "/api/units/23353/recognitions",
        422,
        "year_out_of_range",
        body={
            "year": 1999,
            "level": 1,
            "decision_no": "1",
            "decided_on": "2025-01-01",
            "signer": "A",
        },
    ),
    Case(
        "evidence year 10^30",
        "POST",
        "/api/units/23353/evidence",
        422,
        "year_out_of_range",
        raw=b"%PDF-1.4\n",
        content_type="application/octet-stream",
        params={"year": str(10**30), "indicator": "2.1", "filename": "a.pdf"},
    ),
    *[
        Case(
            f"evidence year {y}",
            "POST",
            "/api/units/23353/evidence",
            422,
            "year_out_of_range",
            raw=b"%PDF-1.4\n",
            content_type="application/octet-stream",
            params={"year": y, "indicator": "2.1", "filename": "a.pdf"},
        )
        for y in ("0", "-1", "99999")
    ],
    Case(
        "tally year 99999",
        "POST",
        "/api/tallies",
        422,
        "body_invalid",
        body={**tally_body(), "year": 99999},
    ),
    Case(
        "tally year 2019",
        "POST",
        "/api/tallies",
        422,
        "year_out_of_range",
        body={**tally_body(), "year": 2019},
    ),
    # Codes and names.
    *[
        Case(
            f"unit code {code!r}",
            "POST",
            "/api/units",
            422,
            "body_invalid",
            body={"code": code, "name": "Thôn", "parent_code": "23353"},
        )
        for code in ("%", "___", "..", "Xã-Ấ1", "c2\r\nX-Evil: 1", 'c2";x=y', "23353-0/1", "")
    ],
    Case(
        "village name with \\u0001",
        "POST",
        "/api/units",
        422,
        "body_invalid",
        body={"code": "23353-77", "name": "Thôn\u0001", "parent_code": "23353"},
    ),
    Case(
        "village name with a bidi override",
        "POST",
        "/api/units",
        422,
        "name_invalid",
        body={"code": "23353-77", "name": "Thôn \u202eabc", "parent_code": "23353"},
    ),
    Case(
        "rename with \\u0001",
        "PATCH",
        "/api/units/23353-01",
        422,
        "body_invalid",
        body={"name": "Thôn\u0001"},
    ),
    Case(
        "framework_version of 500 KB",
        "POST",
        "/api/tallies",
        422,
        "body_invalid",
        body={**tally_body(), "framework_version": "v" * 500_000},
    ),
    Case(
        "framework_version unknown",
        "POST",
        "/api/tallies",
        422,
        "framework_version_unknown",
        body={**tally_body(), "framework_version": "1999.9"},
    ),
    # Evidence.
    Case(
        "empty evidence file",
        "POST",
        "/api/units/23353/evidence",
        422,
        "evidence_empty",
        raw=b"",
        content_type="application/octet-stream",
        params={"year": "2025", "indicator": "2.1", "filename": "a.pdf"},
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


async def test_a_year_under_a_percent_encoded_name_is_still_checked(node: Node):
    answer = await node.client.get("/api/units/610/status?%79ear=0", headers=node.auth("admin"))
    assert (answer.status_code, answer.json()["code"]) == (422, "year_out_of_range")
