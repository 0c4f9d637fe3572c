"""Tables of a node, as SQLAlchemy Core metadata shared by repositories and migrations."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from backend.db.schema_base import Id, metadata, timestamp

units = Table(
    "units",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(32), nullable=False),
    Column("parent_code", String(32), ForeignKey("units.code"), nullable=True),
    Column("path", String(400), nullable=False),  # /root/.../code/ — subtree = prefix match
    Column("retired", Boolean, nullable=False, default=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    Index("ix_units_path", "path"),
    Index("ix_units_parent_code", "parent_code"),
)

unit_parent_history = Table(
    "unit_parent_history",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("parent_code", String(32), nullable=True),
    timestamp("valid_from"),
    timestamp("valid_to", nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    timestamp("created_at"),
    Column("full_name", String(200), nullable=False, server_default=""),
    Column("phone", String(32), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("family", String(40), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("device_id", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False),
    timestamp("created_at"),
    timestamp("expires_at"),
    timestamp("used_at", nullable=True),
    timestamp("revoked_at", nullable=True),
    Index("ix_refresh_tokens_family", "family"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False),
    Column("client_ip", String(64), nullable=False),
    timestamp("failed_at"),
    Index("ix_login_failures_username_failed_at", "username", "failed_at"),
)

tally_heads = Table(
    "tally_heads",
    metadata,
    Column("village_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("revision", Integer, nullable=False),  # the current revision of this village-year
)

tallies = Table(
    "tallies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("client_uuid", String(36), nullable=False, unique=True),
    Column("village_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("figures", JSON, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("framework_version", String(32), nullable=False),
    Column("submitted_by", String(80), nullable=False),
    timestamp("received_at"),
    Column("review_reason", Text, nullable=True),
    Column("reviewed_by", String(80), nullable=True),
    timestamp("reviewed_at", nullable=True),
    UniqueConstraint("village_code", "year", "revision", name="uq_tallies_village_year_revision"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    timestamp("at"),
    Column("actor", String(80), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("unit_code", String(32), nullable=True),
    Column("client_ip", String(64), nullable=True),
    Column("user_agent", String(300), nullable=True),
    Column("device_id", String(120), nullable=True),
    Column("detail", JSON, nullable=False),
    Index("ix_audit_log_entity", "entity", "entity_id"),
)

# --- federation: node state, enrollment, snapshots, outbox, decisions ---

# Re-exported so every table is reachable (and registered on `metadata`) from one module.
from backend.db.decision_tables import decision_quarantine  # noqa: E402
from backend.db.onboarding_tables import activation_codes, activation_failures  # noqa: E402
from backend.db.plan_tables import plan_periods, standard_levels, unit_mergers  # noqa: E402
from backend.db.programme_tables import (  # noqa: E402
    assessment_entries,
    dossiers,
    evidence_files,
    recognitions,
    report_submissions,
    targets,
)
from backend.db.security_tables import login_throttle, revoked_tokens  # noqa: E402
from backend.db.sync_tables import (  # noqa: E402
    child_nodes,
    decisions,
    enrollment_tokens,
    node_state,
    outbox,
    rebuild_queue,
    seen_jtis,
    snapshot_history,
    snapshots,
)

__all__ = [
    "activation_codes",
    "activation_failures",
    "assessment_entries",
    "audit_log",
    "child_nodes",
    "decision_quarantine",
    "decisions",
    "dossiers",
    "enrollment_tokens",
    "evidence_files",
    "login_failures",
    "login_throttle",
    "metadata",
    "node_state",
    "outbox",
    "plan_periods",
    "rebuild_queue",
    "recognitions",
    "refresh_tokens",
    "report_submissions",
    "revoked_tokens",
    "seen_jtis",
    "snapshot_history",
    "snapshots",
    "standard_levels",
    "tallies",
    "tally_heads",
    "targets",
    "unit_mergers",
    "unit_parent_history",
    "units",
    "users",
]
