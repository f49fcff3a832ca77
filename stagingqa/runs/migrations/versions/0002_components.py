"""Every component's revision in a run, and the files a use case's steps created in watched folders."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as table:
        table.add_column(sa.Column("revisions", sa.JSON))  # component -> revision; NULL before 0002
    with op.batch_alter_table("usecase_runs") as table:
        table.add_column(sa.Column("created", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("usecase_runs") as table:
        table.drop_column("created")
    with op.batch_alter_table("runs") as table:
        table.drop_column("revisions")
