"""`xhht doctor` says what is wrong and what to do: key permissions, parent, schema."""

from __future__ import annotations

from pathlib import Path

from backend.config import Settings
from backend.ops.doctor import check_config, run_checks
from backend.relay.identity import KEY_FILE, init_key
from tests.conftest import Node


def verdicts(results: list) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    """check name → (status, fix)."""
    return {r.name: (r.status, r.fix) for r in results}


async def test_a_healthy_top_node_passes(node: Node):
    results = verdicts(await run_checks(node.settings))
    assert {status for status, _ in results.values()} == {"ok"}
    assert results["schema"][0] == "ok"


async def test_loose_key_permissions_and_an_unreachable_parent_are_failures_with_fixes(
    node: Node, tmp_path: Path
):
    init_key(node.settings.data_dir)
    (node.settings.data_dir / KEY_FILE).chmod(0o644)
    settings = Settings(
        **{**vars(node.settings), "parent_url": "http://127.0.0.1:9", "unit": "610"}
    )
    results = verdicts(await run_checks(settings, timeout=1.0))
    assert results[KEY_FILE][0] == "fail" and "chmod 600" in results[KEY_FILE][1]
    assert results["parent"][0] == "fail" and "network" in results["parent"][1]
    assert results["database"][0] == "ok"


async def test_plain_http_to_a_remote_parent_is_a_warning(node: Node):
    settings = Settings(**{**vars(node.settings), "parent_url": "http://tinh.example:8000"})
    results = verdicts(check_config(settings))  # configuration only: no traffic leaves the host
    assert results["parent link"][0] == "warn" and "https" in results["parent link"][1]


async def test_a_parent_link_over_a_unit_without_a_parent_is_a_failure(node: Node):
    linked = Settings(**{**vars(node.settings), "parent_url": "http://127.0.0.1:9"})
    results = verdicts(await run_checks(linked, timeout=0.5))
    assert results["unit tree"][0] == "fail" and "--nation" in results["unit tree"][1]
    unlinked = Settings(**{**vars(node.settings), "unit": "610"})
    results = verdicts(await run_checks(unlinked, timeout=0.5))
    assert results["unit tree"][0] == "warn" and "xhht enroll" in results["unit tree"][1]
    unknown = Settings(**{**vars(node.settings), "unit": "99999"})
    assert verdicts(await run_checks(unknown, timeout=0.5))["unit tree"][0] == "fail"
