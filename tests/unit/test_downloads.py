"""Download names: RFC 6266 with a UTF-8 `filename*`, nothing a header could be split with."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from backend.web.downloads import content_disposition


def test_vietnamese_names_keep_their_diacritics_in_filename_star():
    header = content_disposition("bao-cao-Xã-Ấ1-2025.docx")
    assert header.startswith('attachment; filename="bao-cao-Xa-A1-2025.docx"; ')
    assert unquote(header.split("''", 1)[1]) == "bao-cao-Xã-Ấ1-2025.docx"


@given(st.text())
def test_any_name_gives_one_latin1_header_with_exactly_two_parameters(name: str):
    header = content_disposition(name)
    header.encode("latin-1")
    assert "\r" not in header and "\n" not in header
    assert header.count(";") == 2 and header.count('"') == 2
