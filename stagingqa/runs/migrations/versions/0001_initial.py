"""Run records: runs and the use cases verified in each."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("finished", sa.Float),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(255), nullable=False),
        sa.Column("environment", sa.String(255), nullable=False),
        sa.Column("spec_path", sa.Text, nullable=False),
        sa.Column("spec_text", sa.Text, nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("build_url", sa.Text),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("selection", sa.JSON, nullable=False),
        sa.Column("passed", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float),
    )
    op.create_index("ix_runs_started", "runs", ["started"])
    op.create_table(
        "usecase_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("recorded", sa.Float, nullable=False),
        sa.Column("world_name", sa.String(255), nullable=False),
        sa.Column("usecase_text", sa.Text, nullable=False),
        sa.Column("world", sa.LargeBinary, nullable=False),
        sa.Column("faults", sa.LargeBinary, nullable=False),
        sa.Column("state_after", sa.LargeBinary, nullable=False),
        sa.Column("journal", sa.LargeBinary, nullable=False),
        sa.Column("steps", sa.LargeBinary, nullable=False),
        sa.Column("failures", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("results", sa.JSON, nullable=False),
        sa.Column("comments", sa.JSON, nullable=False),
    )
    op.create_index("ix_usecase_runs_run", "usecase_runs", ["run_id", "name"])


def downgrade() -> None:
    op.drop_table("usecase_runs")
    op.drop_table("runs")
