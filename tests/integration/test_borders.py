"""Values stored before this release or built from codes never break a neighbour's request."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from backend.db.engine import make_engine
from backend.db.repositories import units as unit_repo
from backend.db.tables import child_nodes
from tests.conftest import Node
from tests.factories import tally_body
from tests.integration.test_evidence_api import PDF, upload


async def _legacy_unit(node: Node, code: str, enrolled: bool) -> None:
    """A unit whose code earlier releases accepted, optionally with an enrolled node."""
    async with node.db.write() as conn:
        await unit_repo.insert(conn, code, "Cũ", "commune", "610", f"/62/610/{code}/")
        if enrolled:
            await conn.execute(
                child_nodes.insert().values(
                    unit_code=code, public_key="k", url="", enrolled_at=datetime.now(UTC)
                )
            )


async def test_a_child_coded_with_like_wildcards_does_not_capture_other_villages(node: Node):
    for code in ("%", "___"):
        await _legacy_unit(node, code, enrolled=True)
    answer = await node.client.post(
        "/api/tallies", json=tally_body(), headers=node.auth("thon_dakpek_1")
    )
    assert answer.status_code == 201, answer.text


async def test_report_downloads_name_files_per_rfc_6266(node: Node):
    answer = await node.client.get(
        "/api/units/23353/reports/criteria-summary.xlsx",
        params={"year": 2025},
        headers=node.auth("xa_dakpek"),
    )
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="bang-tong-hop-tieu-chi-23353-2025.xlsx"')
    assert "filename*=UTF-8''" in disposition


async def test_evidence_keeps_the_extension_of_its_content_and_a_clean_name(node: Node):
    for given, kept in (
        ("setup.exe", "setup.pdf"),
        ("invoice.html", "invoice.pdf"),
        ("bien\u202efdp.exe", "bienfdp.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
    ):
        answer = await upload(node, "xa_dakpek", PDF, given)
        assert answer.status_code == 201, answer.text
        meta = answer.json()
        assert meta["filename"] == kept
        download = await node.client.get(
            f"/api/evidence/{meta['id']}", headers=node.auth("xa_dakpek")
        )
        assert unquote(download.headers["content-disposition"].split("''")[-1]) == kept
    stored = [p for p in node.settings.evidence_dir.rglob("*") if p.is_file()]
    assert {p.relative_to(node.settings.evidence_dir).parts[0] for p in stored} == {
        meta["sha256"][:2]
    }


async def test_the_sqlite_file_is_private_to_the_node_user(tmp_path: Path):
    path = tmp_path / "node.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (x int)")
    await engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_stored_name_with_a_control_character_does_not_break_spreadsheets(node: Node):
    async with node.db.write() as conn:
        await unit_repo.update_fields(conn, "23353-01", name="Thôn\u0001 1")
    await node.client.post("/api/tallies", json=tally_body(), headers=node.auth("thon_dakpek_1"))
    await node.rebuild()
    for level in ("village", "commune"):
        answer = await node.client.get(
            "/api/federation/status",
            params={"year": 2025, "level": level, "format": "xlsx"},
            headers=node.auth("tinh"),
        )
        assert answer.status_code == 200, answer.text
    summary = await node.client.get(
        "/api/units/23353/reports/units-summary.xlsx",
        params={"year": 2025},
        headers=node.auth("xa_dakpek"),
    )
    assert summary.status_code == 200, summary.text
