"""Tables for onboarding users: one-time activation codes and failed activation attempts."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from backend.db.schema_base import Id, metadata, timestamp

activation_codes = Table(
    "activation_codes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),  # keyed hash of the digits
    Column(
        "sealed", String(200), nullable=True
    ),  # encrypted copy for the printed sheet; erased on use
    Column("created_by", String(80), nullable=False),
    timestamp("created_at"),
    timestamp("expires_at"),
    timestamp("used_at", nullable=True),
    timestamp("revoked_at", nullable=True),
    Index("ix_activation_codes_user_id", "user_id"),
)

activation_failures = Table(
    "activation_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("client_ip", String(64), nullable=False),
    timestamp("failed_at"),
    Index("ix_activation_failures_client_ip_failed_at", "client_ip", "failed_at"),
)
