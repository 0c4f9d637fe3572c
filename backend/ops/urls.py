"""Database URLs as they may be shown to a person: never with the password."""

from __future__ import annotations

import re

PASSWORD = re.compile(r"(://[^:/@]+:)[^@]*@")


def redact_url(url: str) -> str:
    """`postgresql+asyncpg://xhht:***@db/xhht` for `postgresql+asyncpg://xhht:secret@db/xhht`."""
    return PASSWORD.sub(r"\1***@", url)
