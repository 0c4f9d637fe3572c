"""`xhht users add|import` and `xhht targets import` as an operator runs them on the node."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def _xhht(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the CLI against a private SQLite data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env |= {"XHHT_DATA_DIR": str(data), "XHHT_UNIT": "610"}
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data dir with the Đắk Glei units imported."""
    _xhht(
        tmp_path, "units", "import", str(FIXTURES / "units-kontum-dakglei.csv")
    ).check_returncode()
    return tmp_path


def test_users_add_takes_no_password_argument_and_applies_the_policy(data: Path):
    on_line = _xhht(
        data, "users", "add", "qt", "--role", "admin", "--unit", "62", "--password", "x"
    )
    assert on_line.returncode == 2 and "unrecognized arguments: --password x" in on_line.stderr
    weak = _xhht(
        data,
        "users",
        "add",
        "qt",
        "--role",
        "admin",
        "--unit",
        "62",
        "--password-stdin",
        stdin="password\n",
    )
    assert weak.returncode == 2 and "phổ biến" in weak.stderr and "common" in weak.stderr
    ok = _xhht(
        data,
        "users",
        "add",
        "qt",
        "--role",
        "admin",
        "--unit",
        "62",
        "--password-stdin",
        stdin="Mưa-rừng-Đắk-Glei\n",
    )
    assert ok.returncode == 0, ok.stderr
    no_terminal = _xhht(data, "users", "add", "qt2", "--role", "admin", "--unit", "62")
    assert no_terminal.returncode != 0 and "--password-stdin" in no_terminal.stderr


def test_users_import_writes_codes_to_a_private_file_and_the_sheet(data: Path):
    heads = data / "heads.csv"
    heads.write_text(
        "village,full_name,phone\n23353-01,Nguyễn Văn An,\n23353-02,A Lưới,0912345678\n",
        encoding="utf-8",
    )
    codes, sheet = data / "codes.csv", data / "sheet.pdf"
    done = _xhht(
        data,
        "users",
        "import",
        str(heads),
        "--codes-file",
        str(codes),
        "--sheet",
        str(sheet),
        "--url",
        "http://xa.local:8000",
    )
    assert done.returncode == 0, done.stderr
    assert (codes.stat().st_mode & 0o777) == 0o600
    rows = list(csv.DictReader(codes.open(encoding="utf-8")))
    assert [r["username"] for r in rows] == ["th23353-01", "th23353-02"]
    assert (
        rows[0]["activation_url"]
        == f"http://xa.local:8000/#/activate/{rows[0]['code'].replace(' ', '')}"
    )
    assert sheet.read_bytes().startswith(b"%PDF")
    again = _xhht(data, "users", "import", str(heads), "--codes-file", str(data / "again.csv"))
    assert again.returncode == 2 and "đã có trưởng thôn" in again.stdout + again.stderr


def test_targets_import_prints_the_roadmap_warnings_by_name(data: Path):
    done = _xhht(data, "targets", "import", str(FIXTURES / "roadmap-kontum-dakglei.csv"))
    assert done.returncode == 0, done.stderr
    assert "Lộ trình Huyện Đắk Glei năm 2025 (mức độ 1): chỉ tiêu 4.1 cần 90%" in done.stdout
    assert "10/12" in done.stdout and "Roadmap of Huyện Đắk Glei for 2025" in done.stdout
