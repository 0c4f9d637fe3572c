"""Decisions pulled from the parent that could not be applied here, kept for the operator."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, Text

from backend.db.schema_base import metadata, timestamp

decision_quarantine = Table(
    "decision_quarantine",
    metadata,
    Column("uid", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("body", JSON, nullable=False),  # the decision as the parent sent it
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    timestamp("quarantined_at"),
    timestamp("last_attempt_at"),
)
