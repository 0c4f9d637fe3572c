"""plans: commune standard levels, period plans, unit mergers

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-29 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standard_levels",
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_standard_levels_unit_code_units")
        ),
        sa.PrimaryKeyConstraint(
            "unit_code", "year", "standard", "basis", name=op.f("pk_standard_levels")
        ),
    )
    op.create_table(
        "plan_periods",
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_plan_periods_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("unit_code", "code", name=op.f("pk_plan_periods")),
    )
    op.create_table(
        "unit_mergers",
        sa.Column("old_code", sa.String(length=32), nullable=False),
        sa.Column("new_code", sa.String(length=32), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["old_code"], ["units.code"], name=op.f("fk_unit_mergers_old_code_units")
        ),
        sa.ForeignKeyConstraint(
            ["new_code"], ["units.code"], name=op.f("fk_unit_mergers_new_code_units")
        ),
        sa.PrimaryKeyConstraint("old_code", name=op.f("pk_unit_mergers")),
    )


def downgrade() -> None:
    op.drop_table("unit_mergers")
    op.drop_table("plan_periods")
    op.drop_table("standard_levels")
