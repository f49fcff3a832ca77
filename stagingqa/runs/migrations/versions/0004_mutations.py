"""Mutation runs (stagingqa mutate) and their mutants: what each mutant changed and which use case, if any,
told it apart from the revision."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mutation_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("finished", sa.Float),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.String(64), nullable=False),
        sa.Column("revisions", sa.JSON, nullable=False),
        sa.Column("component", sa.String(255), nullable=False),
        sa.Column("spec_path", sa.Text, nullable=False),
        sa.Column("spec_text", sa.Text, nullable=False),
        sa.Column("baseline_run", sa.String(32)),
        sa.Column("operators", sa.JSON, nullable=False),
        sa.Column("usecases", sa.JSON, nullable=False),
        sa.Column("excluded", sa.JSON, nullable=False),
        sa.Column("generated", sa.Integer, nullable=False),
        sa.Column("planned", sa.Integer, nullable=False),
        sa.Column("summary", sa.JSON),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
    )
    op.create_index("ix_mutation_runs_started", "mutation_runs", ["started"])
    op.create_table(
        "mutants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.String(32), sa.ForeignKey("mutation_runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("mutant_id", sa.String(16), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("operator", sa.String(128), nullable=False),
        sa.Column("definition", sa.String(255), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("killed_by", sa.JSON, nullable=False),
        sa.Column("ran", sa.JSON, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.Column("recorded", sa.Float, nullable=False),
    )
    op.create_index("ix_mutants_run", "mutants", ["run_id", "outcome"])


def downgrade() -> None:
    op.drop_index("ix_mutants_run", "mutants")
    op.drop_table("mutants")
    op.drop_index("ix_mutation_runs_started", "mutation_runs")
    op.drop_table("mutation_runs")
