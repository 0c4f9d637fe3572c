"""Request logs: one structured line per request with its id, who and where; no secrets."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from backend.config import Settings
from backend.web.app import create_app
from backend.web.log_format import HumanFormatter, JsonFormatter, configure_logging
from tests.conftest import PASSWORD, Node
from tests.factories import tally_body


async def test_request_lines_carry_id_user_unit_route_status_and_duration(
    node: Node, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="xhht")
    answer = await node.client.post(
        "/api/tallies", json=tally_body(), headers=node.auth("thon_dakpek_1")
    )
    records = [r for r in caplog.records if r.name == "xhht.request"]
    lines = [json.loads(JsonFormatter().format(r)) for r in records]
    line = next(x for x in lines if x["route"] == "/api/tallies")
    assert line["request_id"] == answer.headers["x-request-id"]
    assert (line["method"], line["status"]) == ("POST", 201)
    assert (line["user"], line["unit"]) == ("thon_dakpek_1", "23353-01")
    assert line["duration_ms"] >= 0
    assert "request_id=" in HumanFormatter().format(caplog.records[-1])


async def test_no_password_token_or_tally_value_reaches_the_log(
    node: Node, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="xhht")
    login = await node.client.post(
        "/api/auth/login",
        json={"username": "thon_dakpek_1", "password": PASSWORD, "device_id": "phone-1"},
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    wrong = await node.client.post(
        "/api/auth/login",
        json={"username": "thon_dakpek_1", "password": PASSWORD + "x", "device_id": "phone-1"},
    )
    assert wrong.status_code == 401
    body = tally_body()
    body["values"]["households_total"] = 987_654
    sent = await node.client.post(
        "/api/tallies", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert sent.status_code == 201
    output = "\n".join(
        JsonFormatter().format(r) + HumanFormatter().format(r) for r in caplog.records
    )
    for secret in (PASSWORD, token, login.json()["refresh_token"], "987654", "households_total"):
        assert secret not in output


def test_building_the_app_keeps_the_operators_log_level_and_format(tmp_path: Path):
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("json", "warning")
        ours = root.handlers[:]
        url = f"sqlite+aiosqlite:///{tmp_path / 'node.db'}"
        create_app(Settings.from_env({"XHHT_DATA_DIR": str(tmp_path), "XHHT_DATABASE_URL": url}))
        assert root.handlers == ours
        assert isinstance(ours[0].formatter, JsonFormatter)
        assert root.level == logging.WARNING
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
