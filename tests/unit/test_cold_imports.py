"""An idle node must not hold the libraries only reports, upgrades and password changes need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backend.db.migrate import (
    alembic_config,
    code_head,
    known_revisions,
    parents,
    parse_version_file,
)

ROOT = Path(__file__).resolve().parents[2]
COLD = (
    "alembic",
    "mako",
    "fpdf",
    "fontTools",
    "PIL",
    "segno",
    "openpyxl",
    "docx",
    "zxcvbn",
    "httpx",
    "vietnam_provinces",
    "hypothesis",
)


def loaded_after(code: str) -> list[str]:
    """The cold top-level packages a fresh interpreter holds after running code."""
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    return sorted(loaded & set(COLD))


def test_building_the_node_imports_no_cold_library() -> None:
    """What `xhht serve` imports, and the app it builds, leave the cold libraries unloaded."""
    code = (
        "import os, tempfile\nos.environ['XHHT_DATA_DIR'] = tempfile.mkdtemp()\n"
        "import uvicorn\nimport backend.cli\nfrom backend.config import Settings\n"
        "from backend.web.app import create_app\n"
        "create_app(Settings.from_env(), migrate_on_start=False)"
    )
    assert loaded_after(code) == []


def test_a_current_schema_is_checked_without_alembic(tmp_path: Path) -> None:
    """Once migrated, starting again reads the stored revision and never imports Alembic."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'node.sqlite3'}"
    migrate_code = (
        "import asyncio\nfrom backend.db.database import Database\n"
        "from backend.db.migrate import migrate\n"
        f"db = Database.from_url({url!r})\n"
        "async def run():\n    await migrate(db.engine)\n    await db.dispose()\n"
        "asyncio.run(run())"
    )
    assert "alembic" in loaded_after(migrate_code)  # the first start upgrades
    assert loaded_after(migrate_code) == []


def test_revisions_read_from_the_files_match_alembic() -> None:
    """The text-read revision chain is the one Alembic's script directory sees."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert code_head() == script.get_current_head()
    chain = {rev.revision: parents(rev.down_revision) for rev in script.walk_revisions()}
    assert known_revisions() == chain


def test_a_merge_revision_is_left_to_alembic(tmp_path: Path) -> None:
    """A down_revision the text reading cannot follow (a merge's tuple) is refused, not guessed."""
    merge = tmp_path / "2027_01_01_0012_merge.py"
    merge.write_text('revision: str = "0012"\ndown_revision = ("0010", "0011")\n')
    with pytest.raises(ValueError):
        parse_version_file(merge)
