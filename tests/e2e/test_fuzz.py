"""Schemathesis against a running node: no server error and nothing off the document, per role."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import start_federation

pytestmark = pytest.mark.e2e

# Role → the seeded user it logs in as (None: no token at all).
ROLES = {"anonymous": None, "admin": "admin", "officer": "xa_23353", "village head": "thon_23353"}
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)
EXAMPLES = 3  # per operation and phase (the coverage phase adds its boundary cases)
SEED = 20261129


def _schemathesis(url: str, token: str | None, report: Path) -> subprocess.CompletedProcess[str]:
    """One bounded run of the schemathesis CLI (one worker: its generator is not thread-safe)."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{url}/schema/openapi.json",
        f"--max-examples={EXAMPLES}",
        f"--seed={SEED}",
        f"--checks={CHECKS}",
        "--phases=examples,coverage,fuzzing",
        "--workers=1",
        "--suppress-health-check=all",
        "--report=junit",
        f"--report-junit-path={report}",
    ]
    if token is not None:
        # A logout with the run's own token would revoke it and starve the rest of the run.
        command += ["-H", f"Authorization: Bearer {token}", "--exclude-path=/api/auth/logout"]
    # Run from the test's folder: schemathesis keeps a cache beside where it runs.
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=report.parent)


def _counts(output: str) -> dict[str, int]:
    """Generated test cases (requests), failures and errors from the run's summary."""
    generated = re.search(r"Test cases:\s+(\d+) generated", output)
    failures = re.search(r"found (\d+) unique failures?", output)
    errors = re.search(r"(\d+) errors?\b", output)
    return {
        "requests": int(generated.group(1)) if generated else 0,
        "failures": int(failures.group(1)) if failures else 0,
        "errors": int(errors.group(1)) if errors else 0,
    }


async def test_fuzzing_every_operation_as_each_role_finds_nothing(tmp_path: Path):
    federation = await start_federation(tmp_path / "fed", [("62", None)])
    try:
        tokens = {
            role: (await federation.token("62", user)) if user else None
            for role, user in ROLES.items()
        }
        url = federation.nodes["62"].url
        results = {}
        for role, token in tokens.items():
            report = tmp_path / f"{role.replace(' ', '-')}.xml"
            run = await asyncio.to_thread(_schemathesis, url, token, report)
            results[role] = (run, _counts(run.stdout))
            report.with_suffix(".txt").write_text(run.stdout)
            print(f"schemathesis {role}: {results[role][1]}", flush=True)
    finally:
        federation.stop_all()
    for role, (run, counts) in results.items():
        assert run.returncode == 0, f"{role}:\n{run.stdout[-6000:]}"
        assert counts["requests"] >= 300, (role, counts)
        assert counts["failures"] == 0 and counts["errors"] == 0, (role, counts)
