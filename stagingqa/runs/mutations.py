"""Mutation runs in the run store: started, each mutant as it is judged, finished (or interrupted)."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from stagingqa.environment.processes import alive
from stagingqa.errors import InputError
from stagingqa.runs.schema import mutants, mutation_runs
from stagingqa.runs.store import RunStore
from stagingqa.spec import LoadedSpec

MUTANT_FIELDS = ("path", "line", "operator", "definition", "outcome", "seconds", "killed_by", "ran", "detail")


@dataclass(frozen=True)
class MutantRecord:
    mutant_id: str
    path: str
    line: int
    operator: str
    definition: str
    outcome: str
    seconds: float
    killed_by: tuple[str, ...]
    ran: tuple[str, ...]
    detail: str
    diff: str

    @classmethod
    def from_row(cls, row: Any) -> MutantRecord:
        return cls(
            row["mutant_id"], row["path"], row["line"], row["operator"], row["definition"], row["outcome"],
            row["seconds"], tuple(row["killed_by"]), tuple(row["ran"]), row["detail"], row["diff"],
        )  # fmt: skip


@dataclass(frozen=True)
class MutationRunRecord:
    id: str
    started: float
    finished: float | None
    status: str
    revision: str
    component: str
    baseline_run: str | None
    operators: tuple[str, ...]
    usecases: tuple[str, ...]
    excluded: tuple[str, ...]
    generated: int
    planned: int
    summary: dict[str, Any] | None
    mutants: tuple[MutantRecord, ...] = field(default=())

    @classmethod
    def from_row(cls, row: Any, found: Sequence[MutantRecord] = ()) -> MutationRunRecord:
        return cls(
            row["id"], row["started"], row["finished"], row["status"], row["revision"], row["component"],
            row["baseline_run"], tuple(row["operators"]), tuple(row["usecases"]), tuple(row["excluded"]),
            row["generated"], row["planned"], row["summary"], tuple(found),
        )  # fmt: skip

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.mutants if m.outcome == outcome)

    @property
    def score(self) -> float | None:
        """Killed (and timed out) among the mutants a use case could tell apart, as the report says."""
        judged = [m for m in self.mutants if m.outcome in ("killed", "survived", "timeout")]
        return sum(1 for m in judged if m.outcome != "survived") / len(judged) if judged else None

    def killers(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for mutant in self.mutants:
            for name in mutant.killed_by:
                counts[name] = counts.get(name, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


class MutationStore:
    """The mutation tables of a run store (same database, same lock)."""

    def __init__(self, store: RunStore) -> None:
        self.store = store

    def start_mutation(self, run_id: str, **fields: Any) -> None:
        spec: LoadedSpec = fields.pop("spec")
        with self.store._write() as db:
            db.execute(
                mutation_runs.insert().values(
                    id=run_id,
                    started=time.time(),
                    status="running",
                    spec_path=str(spec.path),
                    spec_text=spec.recorded_text,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    **fields,
                )
            )

    def add_mutant(self, run_id: str, result: dict[str, Any]) -> None:
        """One mutant the moment it is judged (a result's to_dict())."""
        values = {name: result[name] for name in MUTANT_FIELDS}
        with self.store._write() as db:
            db.execute(
                mutants.insert().values(
                    run_id=run_id, mutant_id=result["id"], diff=result["diff"], recorded=time.time(), **values
                )
            )

    def finish_mutation(self, run_id: str, status: str, summary: dict[str, Any]) -> None:
        kept = {
            k: v for k, v in summary.items() if k in ("seconds", "score", "counts", "killers", "generated")
        }
        with self.store._write() as db:
            db.execute(
                update(mutation_runs)
                .where(mutation_runs.c.id == run_id)
                .values(status=status, finished=time.time(), summary=kept)
            )

    def _mark_abandoned(self) -> None:
        """Mutation runs still 'running' whose process on this host is gone were interrupted."""
        query = select(mutation_runs.c.id, mutation_runs.c.pid).where(
            mutation_runs.c.status == "running", mutation_runs.c.host == socket.gethostname()
        )
        with self.store.engine.connect() as db:
            gone = [row.id for row in db.execute(query) if not alive(row.pid)]
        if gone:
            with self.store._write() as db:
                db.execute(
                    update(mutation_runs).where(mutation_runs.c.id.in_(gone)).values(status="interrupted")
                )

    def list_mutations(self, limit: int = 50) -> list[MutationRunRecord]:
        """The newest mutation runs, each with its mutants (light: no diffs needed, but they are small)."""
        self._mark_abandoned()
        with self.store.engine.connect() as db:
            rows = list(
                db.execute(
                    select(mutation_runs).order_by(mutation_runs.c.started.desc()).limit(limit)
                ).mappings()
            )
            found: dict[str, list[MutantRecord]] = {row["id"]: [] for row in rows}
            query = select(mutants).where(mutants.c.run_id.in_(list(found))).order_by(mutants.c.id)
            for row in db.execute(query).mappings():
                found[row["run_id"]].append(MutantRecord.from_row(row))
        return [MutationRunRecord.from_row(row, found[row["id"]]) for row in rows]

    def get_mutation(self, reference: str) -> MutationRunRecord:
        """A mutation run by id, a unique prefix of one, or 'latest'."""
        self._mark_abandoned()
        with self.store.engine.connect() as db:
            if reference == "latest":
                query = select(mutation_runs).order_by(mutation_runs.c.started.desc()).limit(1)
            else:
                query = select(mutation_runs).where(mutation_runs.c.id.startswith(reference, autoescape=True))
            rows = list(db.execute(query.limit(2)).mappings())
            if not rows:
                raise InputError(
                    f"no recorded mutation run {reference!r} (stagingqa mutate --list shows them)"
                )
            if len(rows) > 1:
                raise InputError(f"mutation run {reference!r} is ambiguous: give more of its id")
            query = select(mutants).where(mutants.c.run_id == rows[0]["id"]).order_by(mutants.c.id)
            found = [MutantRecord.from_row(row) for row in db.execute(query).mappings()]
        return MutationRunRecord.from_row(rows[0], found)
