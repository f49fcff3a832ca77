"""The run-record tables (SQLAlchemy Core); migrations/ creates and changes them, never create_all."""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

metadata = MetaData()


class CompressedJSON(TypeDecorator[Any]):
    """JSON stored zlib-compressed: journals carry every request and answer body, and compress about
    tenfold (a run of the 24 example use cases: 5 MB as JSON). Nothing queries inside these columns."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return None if value is None else zlib.compress(json.dumps(value).encode(), 6)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(zlib.decompress(value))


runs = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("started", Float, nullable=False),
    Column("finished", Float),
    Column("status", String(16), nullable=False),  # running, passed, failed, error, interrupted
    Column("revision", String(64), nullable=False),
    Column("ref", String(255), nullable=False),
    Column("environment", String(255), nullable=False),
    Column("spec_path", Text, nullable=False),
    Column("spec_text", Text, nullable=False),
    Column("trigger", String(64), nullable=False),  # cli, buildbot, nightly, bisect, ...
    Column("build_url", Text),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("selection", JSON, nullable=False),  # the paths and -k expression verified
    Column("passed", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("seconds", Float),
    Column("revisions", JSON),  # every component's revision (0002); NULL in older records
    Index("ix_runs_started", "started"),
)

usecase_runs = Table(
    "usecase_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("path", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("seconds", Float, nullable=False),
    Column("recorded", Float, nullable=False),
    Column("world_name", String(255), nullable=False),
    Column("usecase_text", Text, nullable=False),
    Column("world", CompressedJSON, nullable=False),  # the world as loaded, before the steps
    Column("faults", CompressedJSON, nullable=False),
    Column("state_after", CompressedJSON, nullable=False),  # the world exported after the steps
    Column("journal", CompressedJSON, nullable=False),
    Column("steps", CompressedJSON, nullable=False),  # command, exit, seconds, output
    Column("failures", JSON, nullable=False),
    Column("error", Text),
    Column("results", JSON, nullable=False),  # posted during the run
    Column("comments", JSON, nullable=False),  # posted during the run
    Column("created", JSON),  # files the steps created in watched folders (0002)
    Column("world_digest", String(32)),  # the world and faults it ran against (0003): flakiness
    Column("tags", JSON),  # the use case's tags (0003): the history grid's filter
    Index("ix_usecase_runs_run", "run_id", "name"),
)

mutation_runs = Table(
    "mutation_runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("started", Float, nullable=False),
    Column("finished", Float),
    Column("status", String(16), nullable=False),  # running, finished, interrupted
    Column("revision", String(64), nullable=False),
    Column("revisions", JSON, nullable=False),
    Column("component", String(255), nullable=False),
    Column("spec_path", Text, nullable=False),
    Column("spec_text", Text, nullable=False),
    Column("baseline_run", String(32)),  # the verify run of the revision itself
    Column("operators", JSON, nullable=False),
    Column("usecases", JSON, nullable=False),  # those that passed on the revision: the ones that can kill
    Column("excluded", JSON, nullable=False),
    Column("generated", Integer, nullable=False),
    Column("planned", Integer, nullable=False),
    Column("summary", JSON),  # counts, score, killers, seconds: when finished
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Index("ix_mutation_runs_started", "started"),
)

mutants = Table(
    "mutants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), ForeignKey("mutation_runs.id", ondelete="CASCADE"), nullable=False),
    Column("mutant_id", String(16), nullable=False),
    Column("path", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("operator", String(128), nullable=False),
    Column("definition", String(255), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("seconds", Float, nullable=False),
    Column("killed_by", JSON, nullable=False),
    Column("ran", JSON, nullable=False),
    Column("detail", Text, nullable=False),
    Column("diff", Text, nullable=False),
    Column("recorded", Float, nullable=False),
    Index("ix_mutants_run", "run_id", "outcome"),
)

HEAD = "0004"  # the newest migration; checked against migrations/ by the tests
