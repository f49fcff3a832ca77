"""What the history pages read without loading a use case's heavy columns: a digest of the world and
faults it ran against (flakiness is a different verdict at the same revision and world), and its tags."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("usecase_runs") as table:
        table.add_column(sa.Column("world_digest", sa.String(32)))  # NULL before 0003
        table.add_column(sa.Column("tags", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("usecase_runs") as table:
        table.drop_column("tags")
        table.drop_column("world_digest")
