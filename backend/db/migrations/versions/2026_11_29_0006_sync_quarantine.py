"""outbox and rebuild quarantine

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "rebuild_queue",
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("rebuild_queue", sa.Column("last_error", sa.Text(), nullable=True))
    op.add_column(
        "rebuild_queue", sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "rebuild_queue", sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("rebuild_queue") as batch:
        batch.drop_column("quarantined_at")
        batch.drop_column("next_attempt_at")
        batch.drop_column("last_error")
        batch.drop_column("attempts")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("quarantined_at")
