"""ASGI factory for `xhht serve --workers N` and process managers (settings from the env)."""

from __future__ import annotations

import os

from litestar import Litestar

from backend.config import Settings
from backend.web.app import create_app
from backend.web.log_format import configure_logging


def app_from_env() -> Litestar:
    """A node app configured from XHHT_* variables."""
    settings = Settings.from_env()
    configure_logging(settings.log_format, os.environ.get("XHHT_LOG_LEVEL", "info"))
    return create_app(settings)
