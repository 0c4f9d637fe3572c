"""Tables of a node, as SQLAlchemy Core metadata shared by repositories and migrations."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

Id = BigInteger().with_variant(Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> Column[object]:
    """A timezone-aware timestamp column."""
    return Column(name, DateTime(timezone=True), nullable=nullable)


units = Table(
    "units",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(32), nullable=False),
    Column("parent_code", String(32), ForeignKey("units.code"), nullable=True),
    Column("path", String(400), nullable=False),  # /root/.../code/ — subtree = prefix match
    Column("retired", Boolean, nullable=False, default=False),
    _ts("created_at"),
    _ts("updated_at"),
    Index("ix_units_path", "path"),
    Index("ix_units_parent_code", "parent_code"),
)

unit_parent_history = Table(
    "unit_parent_history",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("parent_code", String(32), nullable=True),
    _ts("valid_from"),
    _ts("valid_to", nullable=True),
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
    _ts("created_at"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("family", String(40), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("device_id", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False),
    _ts("created_at"),
    _ts("expires_at"),
    _ts("used_at", nullable=True),
    _ts("revoked_at", nullable=True),
    Index("ix_refresh_tokens_family", "family"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False),
    Column("client_ip", String(64), nullable=False),
    _ts("failed_at"),
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
    _ts("received_at"),
    Column("review_reason", Text, nullable=True),
    Column("reviewed_by", String(80), nullable=True),
    _ts("reviewed_at", nullable=True),
    UniqueConstraint("village_code", "year", "revision", name="uq_tallies_village_year_revision"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ts("at"),
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

node_state = Table(
    "node_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    _ts("updated_at"),
)

enrollment_tokens = Table(
    "enrollment_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("created_by", String(80), nullable=False),
    _ts("created_at"),
    _ts("expires_at"),
    _ts("used_at", nullable=True),
)

child_nodes = Table(
    "child_nodes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("url", String(300), nullable=False, default=""),
    _ts("enrolled_at"),
    _ts("revoked_at", nullable=True),
    _ts("last_push_at", nullable=True),
    Index("ix_child_nodes_unit_code", "unit_code"),
)

seen_jtis = Table(
    "seen_jtis",
    metadata,
    Column("jti", String(80), primary_key=True),
    Column("issuer", String(32), nullable=False),
    _ts("expires_at"),
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
    _ts("received_at"),
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
    _ts("received_at"),
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
    _ts("next_attempt_at"),
    _ts("updated_at"),
    _ts("sent_at", nullable=True),
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
    _ts("issued_at"),
    _ts("received_at"),
    Index("ix_decisions_unit_code", "unit_code"),
)

assessment_entries = Table(
    "assessment_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator_code", String(64), nullable=False),  # indicator code, or a measure code
    Column("kind", String(16), nullable=False),  # attested | entered_level | measure
    Column("met", Boolean, nullable=True),
    Column("level", Integer, nullable=True),
    Column("value", Float, nullable=True),
    Column("comment", Text, nullable=False, default=""),
    Column("evidence", JSON, nullable=False),
    Column("recorded_by", String(80), nullable=False),
    _ts("recorded_at"),
    Index("ix_assessment_entries_unit_year", "unit_code", "year", "indicator_code"),
)

targets = Table(
    "targets",
    metadata,
    Column("unit_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("target_level", Integer, nullable=True),
    Column("rates", JSON, nullable=False),
    Column("updated_by", String(80), nullable=False),
    _ts("updated_at"),
)

recognitions = Table(
    "recognitions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("decision_no", String(80), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("signer", String(120), nullable=False),
    Column("recorded_by", String(80), nullable=False),
    _ts("recorded_at"),
    Index("ix_recognitions_unit_year", "unit_code", "year"),
)

evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", String(40), primary_key=True),  # "ev-…": what answers cite in `evidence`
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator_code", String(64), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(80), nullable=False),
    _ts("uploaded_at"),
    Index("ix_evidence_files_unit_year", "unit_code", "year"),
)

dossiers = Table(
    "dossiers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_level", Integer, nullable=True),
    Column("level_reached", Integer, nullable=True),
    Column("snapshot", JSON, nullable=True),
    Column("submitted_by", String(80), nullable=True),
    _ts("first_submitted_at", nullable=True),
    _ts("submitted_at", nullable=True),
    Column("return_reason", Text, nullable=True),
    Column("recognition_id", Id, ForeignKey("recognitions.id"), nullable=True),
    Column("decision", JSON, nullable=True),  # the RecognitionDecision payload, once recognised
    _ts("updated_at"),
    UniqueConstraint("unit_code", "year", name="uq_dossiers_unit_year"),
)

report_submissions = Table(
    "report_submissions",
    metadata,
    Column("unit_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("report", String(32), primary_key=True),  # "yearly_report"
    _ts("submitted_at"),
    Column("submitted_by", String(80), nullable=False),
    Column("via", String(16), nullable=False),  # manual | federation
)
