"""Bilingual text shared by every framework module (kept apart to avoid import cycles)."""

from __future__ import annotations

import msgspec


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A user-facing string in Vietnamese with its English rendering."""

    vi: str
    en: str
