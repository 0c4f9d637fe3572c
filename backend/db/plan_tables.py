"""Plan tables: communes' levels of the unit standards, period plans, merger records."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text

from backend.db.schema_base import metadata, timestamp

standard_levels = Table(
    "standard_levels",
    metadata,
    Column("unit_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("standard", String(40), primary_key=True),
    Column("basis", String(16), primary_key=True),  # actual | planned
    Column("level", Integer, nullable=False),
    Column("updated_by", String(80), nullable=False),
    timestamp("updated_at"),
)

plan_periods = Table(
    "plan_periods",
    metadata,
    Column("unit_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("code", String(20), primary_key=True),  # "2021-2025"
    Column("baseline_year", Integer, nullable=False),
    Column("end_year", Integer, nullable=False),
    Column("targets", JSON, nullable=False),  # rate code → percent at the period's end
    Column("note", Text, nullable=False, default=""),
    Column("updated_by", String(80), nullable=False),
    timestamp("updated_at"),
)

unit_mergers = Table(
    "unit_mergers",
    metadata,
    Column("old_code", String(32), ForeignKey("units.code"), primary_key=True),
    Column("new_code", String(32), ForeignKey("units.code"), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_by", String(80), nullable=False),
    timestamp("recorded_at"),
)
