"""The dossier flow as data, recognisers per hierarchy, file types from content."""

from __future__ import annotations

import pytest

from backend.core.dossier_rules import Ancestor, next_state, recogniser_level, recogniser_of
from backend.core.errors import Conflict
from backend.core.file_types import DOCX, PDF, PNG, XLSX, detect
from shared_schema.dossier_flow import load_dossier_flow
from shared_schema.framework_checks import check_framework
from shared_schema.framework_loader import load_framework


def test_the_flow_returns_and_resubmits_and_refuses_anything_else():
    flow = load_dossier_flow()
    assert next_state(flow, "submit", "draft") == "submitted"
    assert next_state(flow, "submit", "returned") == "resubmitted"
    assert next_state(flow, "open", "resubmitted") == "under_review"
    with pytest.raises(Conflict) as refused:
        next_state(flow, "recognise", "submitted")
    assert refused.value.code == "dossier_transition_invalid"
    for state in flow.states:
        assert state == flow.initial or any(
            state in a.from_.values() for a in flow.actions.values()
        )


def test_who_recognises_whom_depends_on_the_hierarchy():
    framework = load_framework()
    assert check_framework(framework) == []
    assert recogniser_level(framework, "vn-2008", "commune") == "district"
    assert recogniser_level(framework, "vn-2025", "commune") == "province"
    assert recogniser_level(framework, "vn-2008", "district") == "province"
    assert recogniser_level(framework, "vn-2025", "province") == "nation"
    assert recogniser_level(framework, "vn-2025", "nation") is None
    chain = [Ancestor("62", "province"), Ancestor("610", "district")]
    assert recogniser_of(chain, "district") == "610"
    assert recogniser_of(chain, "province") == "62"
    assert recogniser_of(chain[:1], "district") is None


def test_file_types_come_from_the_content():
    assert detect(b"%PDF-1.7\n") == PDF
    assert detect(b"\x89PNG\r\n\x1a\n") == PNG
    assert detect(b"PK\x03\x04", ["[Content_Types].xml", "word/document.xml"]) == DOCX
    assert detect(b"PK\x03\x04", ["[Content_Types].xml", "xl/workbook.xml"]) == XLSX
    assert detect(b"PK\x03\x04", ["word/document.xml"]) is None
    assert detect(b"hello.pdf") is None
