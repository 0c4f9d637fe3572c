"""Download names per RFC 6266: a sanitised UTF-8 `filename*` with a plain ASCII fallback."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from shared_schema.values import clean_text

_UNSAFE = re.compile(r'[\\/:*?"<>|;,=]+')
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 150


def safe_filename(name: str, fallback: str = "download") -> str:
    """A name with no control, quoting, separator or path characters, and no leading dots."""
    cleaned = _UNSAFE.sub("-", clean_text(unicodedata.normalize("NFC", name))).strip("-.")
    return cleaned[:MAX_NAME] or fallback


def ascii_filename(name: str) -> str:
    """The same name in plain ASCII (Vietnamese without diacritics) for old clients."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_ASCII_SAFE.sub("_", plain).strip("_.") or "download"


def content_disposition(name: str, kind: str = "attachment") -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` built from the sanitised name."""
    safe = safe_filename(name)
    return f"{kind}; filename=\"{ascii_filename(safe)}\"; filename*=UTF-8''{quote(safe, safe='')}"
