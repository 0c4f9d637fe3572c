"""Programme tables: self-assessment answers, targets, recognitions, evidence, dossiers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from backend.db.schema_base import Id, metadata, timestamp

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
    timestamp("recorded_at"),
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
    timestamp("updated_at"),
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
    timestamp("recorded_at"),
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
    timestamp("uploaded_at"),
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
    timestamp("first_submitted_at", nullable=True),
    timestamp("submitted_at", nullable=True),
    Column("return_reason", Text, nullable=True),
    Column("recognition_id", Id, ForeignKey("recognitions.id"), nullable=True),
    Column("decision", JSON, nullable=True),  # the RecognitionDecision payload, once recognised
    timestamp("updated_at"),
    UniqueConstraint("unit_code", "year", name="uq_dossiers_unit_year"),
)


report_submissions = Table(
    "report_submissions",
    metadata,
    Column("unit_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("report", String(32), primary_key=True),  # "yearly_report"
    timestamp("submitted_at"),
    Column("submitted_by", String(80), nullable=False),
    Column("via", String(16), nullable=False),  # manual | federation
)
