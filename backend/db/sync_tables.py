"""Federation tables: node identity, enrolments, snapshots, outbox, decisions, rebuild marks."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from backend.db.schema_base import Id, metadata, timestamp

node_state = Table(
    "node_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    timestamp("updated_at"),
)


enrollment_tokens = Table(
    "enrollment_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("created_by", String(80), nullable=False),
    timestamp("created_at"),
    timestamp("expires_at"),
    timestamp("used_at", nullable=True),
)


child_nodes = Table(
    "child_nodes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("url", String(300), nullable=False, default=""),
    timestamp("enrolled_at"),
    timestamp("revoked_at", nullable=True),
    timestamp("last_push_at", nullable=True),
    Index("ix_child_nodes_unit_code", "unit_code"),
)


seen_jtis = Table(
    "seen_jtis",
    metadata,
    Column("jti", String(80), primary_key=True),
    Column("issuer", String(32), nullable=False),
    timestamp("expires_at"),
    Index("ix_seen_jtis_expires_at", "expires_at"),
)


snapshots = Table(
    "snapshots",
    metadata,
    Column("origin", String(32), primary_key=True),
    Column("unit_code", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("revision", BigInteger, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("body", JSON, nullable=False),
    Column("via", String(32), nullable=False),  # the child node that pushed it ('' = built here)
    timestamp("received_at"),
    Index("ix_snapshots_unit_code_year", "unit_code", "year"),
)


snapshot_history = Table(
    "snapshot_history",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("origin", String(32), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("revision", BigInteger, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("body", JSON, nullable=False),
    Column("via", String(32), nullable=False),
    timestamp("received_at"),
    Index("ix_snapshot_history_origin", "origin", "unit_code", "year"),
)


outbox = Table(
    "outbox",
    metadata,
    Column("origin", String(32), primary_key=True),
    Column("unit_code", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("revision", BigInteger, nullable=False),
    Column("sent_revision", BigInteger, nullable=False, default=0),
    Column("body", JSON, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    timestamp("next_attempt_at"),
    timestamp("updated_at"),
    timestamp("sent_at", nullable=True),
    timestamp("quarantined_at", nullable=True),  # refused too often: waits for the operator
    Index("ix_outbox_next_attempt_at", "next_attempt_at"),
)


decisions = Table(
    "decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("origin", String(32), nullable=False),
    Column("issued_by", String(80), nullable=False),
    timestamp("issued_at"),
    timestamp("received_at"),
    Index("ix_decisions_unit_code", "unit_code"),
)


rebuild_queue = Table(
    "rebuild_queue",
    metadata,
    Column("unit_code", String(32), primary_key=True),  # a village (or unit) whose figures changed
    Column("year", Integer, primary_key=True),
    timestamp("queued_at"),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text, nullable=True),
    timestamp("next_attempt_at", nullable=True),  # a failed rebuild waits its backoff
    timestamp("quarantined_at", nullable=True),  # failed too often: waits for the operator
)
