"""The PWA's committed JSON Schema must match the Python Structs it is generated from."""

from __future__ import annotations

import json

from shared_schema import json_schema


def test_committed_schema_matches_a_fresh_generation() -> None:
    """A Struct changed without regenerating (`python -m shared_schema.json_schema`) fails."""
    committed = json_schema.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == json_schema.render_schema(), (
        "pwa/src/generated/schema.json is stale: run `uv run python -m shared_schema.json_schema`"
    )


def test_schema_defines_what_the_pwa_reads() -> None:
    """The PWA derives its types from these definitions; losing one breaks the client build."""
    defs = json.loads(json_schema.render_schema())["$defs"]
    for name in (
        "Framework",
        "TallySubmission",
        "TallyReceipt",
        "Tally",
        "Problem",
        "UnitStatus",
        "Dossier",
        "EvidenceMeta",
        "FederationRow",
    ):
        assert name in defs
    assert set(defs["TallyField"]["properties"]) >= {"code", "label", "required", "kind", "maximum"}
