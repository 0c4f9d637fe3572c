"""user onboarding: names and phones, activation codes, failed activations

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-29 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("full_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("phone", sa.String(length=32), nullable=True))
    op.create_table(
        "activation_codes",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_activation_codes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_activation_codes_code_hash")),
    )
    op.create_index("ix_activation_codes_user_id", "activation_codes", ["user_id"])
    op.create_table(
        "activation_failures",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("client_ip", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_failures")),
    )
    op.create_index(
        "ix_activation_failures_client_ip_failed_at",
        "activation_failures",
        ["client_ip", "failed_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_activation_failures_client_ip_failed_at", "activation_failures")
    op.drop_table("activation_failures")
    op.drop_index("ix_activation_codes_user_id", "activation_codes")
    op.drop_table("activation_codes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("phone")
        batch.drop_column("full_name")
