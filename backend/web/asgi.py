"""ASGI factory for `xhht serve --workers N` and process managers (settings from the env)."""

from __future__ import annotations

from litestar import Litestar

from backend.config import Settings
from backend.web.app import create_app


def app_from_env() -> Litestar:
    """A node app configured from XHHT_* variables."""
    return create_app(Settings.from_env())
