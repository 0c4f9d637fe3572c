"""One logging configuration for a node: readable lines by default, JSON lines on request."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# Fields a log call may attach with `extra=`; nothing else from a record reaches the output,
# so a stray attribute can never leak a password, a token or a tally value.
FIELDS = (
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "user",
    "unit",
    "parent",
    "count",
    "event",
    "error",
)


def _fields(record: logging.LogRecord) -> dict[str, object]:
    """The whitelisted structured fields present on a record."""
    return {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers (journald, Loki, Elasticsearch)."""

    def format(self, record: logging.LogRecord) -> str:
        """Time, level, logger, message, the whitelisted fields and any exception."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class HumanFormatter(logging.Formatter):
    """`time level logger message key=value …` for a person reading a terminal or journal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The classic line with the structured fields appended."""
        line = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        return f"{line} {extra}" if extra else line


def configure_logging(log_format: str = "human", level: str = "info") -> None:
    """Route every logger (ours, uvicorn's, alembic's) through one handler on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else HumanFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Drivers log statements with their parameters (tally values) at debug level: never show them.
    for name in ("httpx", "aiosqlite", "asyncpg", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.WARNING)
