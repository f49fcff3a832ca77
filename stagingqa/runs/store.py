"""The run store: a SQLAlchemy database of runs, migrated with Alembic, written as a run goes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, create_engine, event, func, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from stagingqa.environment.processes import alive
from stagingqa.errors import InputError, ServiceFailed
from stagingqa.runs.records import RunRecord, UseCaseRecord
from stagingqa.runs.schema import HEAD, runs, usecase_runs
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.verdict import Status, Verdict

MIGRATIONS = Path(__file__).parent / "migrations"
HEAVY = {"world", "state_after", "journal", "steps", "usecase_text"}


def database_url(spec: LoadedSpec) -> str:
    """$STAGINGQA_RUNS_DB, else the spec's runs.database with {state} filled in."""
    url = os.environ.get("STAGINGQA_RUNS_DB") or spec.spec.runs.database
    return url.replace("{state}", str(spec.state_dir))


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD with Alembic (imported only when there is something to do)."""
    with engine.connect() as connection:
        if inspect(connection).has_table("alembic_version"):
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if current == HEAD:
                return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class RunStore:
    """Runs and their use cases. Thread-safe: verify records verdicts from its worker threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = create_engine(url)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise InputError(f"cannot use run database {url!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.lock = threading.Lock()
        try:
            migrate(self.engine)
        except SQLAlchemyError as exc:
            raise ServiceFailed(
                f"run database {url!r} cannot be opened: {exc.__class__.__name__}: {exc}"
            ) from None

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self.lock, self.engine.begin() as connection:
            yield connection

    def start(
        self,
        run_id: str,
        *,
        spec: LoadedSpec,
        environment: str,
        revision: str,
        ref: str,
        trigger: str,
        selection: dict[str, Any],
        build_url: str | None = None,
        revisions: dict[str, str] | None = None,
    ) -> None:
        with self._write() as db:
            db.execute(
                runs.insert().values(
                    id=run_id,
                    started=time.time(),
                    status="running",
                    revision=revision,
                    ref=ref,
                    environment=environment,
                    spec_path=str(spec.path),
                    spec_text=spec.recorded_text,
                    trigger=trigger,
                    build_url=build_url,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    selection=selection,
                    passed=0,
                    failed=0,
                    errors=0,
                    revisions=revisions or {},
                )
            )

    def add(self, run_id: str, verdict: Verdict) -> None:
        """Record one use case's verdict the moment it is known."""
        counter = {
            Status.PASSED: runs.c.passed,
            Status.FAILED: runs.c.failed,
            Status.ERROR: runs.c.errors,
        }.get(Status(verdict.status))
        with self._write() as db:
            db.execute(
                usecase_runs.insert().values(
                    run_id=run_id,
                    name=verdict.name,
                    path=verdict.path,
                    status=str(verdict.status),
                    seconds=verdict.seconds,
                    recorded=time.time(),
                    world_name=verdict.world,
                    usecase_text=verdict.usecase_text,
                    world=verdict.world_document,
                    world_digest=world_digest(verdict),
                    tags=usecase_tags(verdict.usecase_text),
                    faults=list(verdict.faults),
                    state_after=verdict.state_after,
                    journal=list(verdict.requests),
                    steps=[asdict(s) for s in verdict.steps],
                    failures=[asdict(f) for f in verdict.failures],
                    error=verdict.error,
                    results=list(verdict.results),
                    comments=list(verdict.comments),
                    created=list(verdict.created),
                )
            )
            if counter is not None:
                db.execute(update(runs).where(runs.c.id == run_id).values({counter: counter + 1}))

    def finish(self, run_id: str, status: str, seconds: float) -> None:
        with self._write() as db:
            db.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(status=status, finished=time.time(), seconds=seconds)
            )

    def mark_abandoned(self) -> None:
        """Runs still 'running' whose process on this host is gone (killed, crashed) were interrupted."""
        host = socket.gethostname()
        with self.engine.connect() as db:
            rows = db.execute(
                select(runs.c.id, runs.c.pid).where(runs.c.status == "running", runs.c.host == host)
            )
            gone = [row.id for row in rows if not alive(row.pid)]
        if gone:
            with self._write() as db:
                db.execute(update(runs).where(runs.c.id.in_(gone)).values(status=Status.INTERRUPTED.value))

    def running(self, trigger_prefix: str) -> list[tuple[str, int]]:
        """(run id, pid) of the runs still running on this host whose trigger starts with the prefix."""
        host = socket.gethostname()
        query = select(runs.c.id, runs.c.pid).where(
            runs.c.status == "running", runs.c.host == host, runs.c.trigger.startswith(trigger_prefix)
        )
        with self.engine.connect() as db:
            return [(row.id, row.pid) for row in db.execute(query) if alive(row.pid)]

    def list(self, limit: int = 50) -> list[RunRecord]:
        self.mark_abandoned()
        with self.engine.connect() as db:
            rows = db.execute(select(runs).order_by(runs.c.started.desc()).limit(limit)).mappings()
            return [RunRecord.from_row(row) for row in rows]

    def durations(self, recent: int = 1000) -> dict[str, float]:
        """Each use case's seconds in the newest run that verified it (among the `recent` newest verdicts):
        the verifier starts the longest first."""
        query = select(usecase_runs.c.name, usecase_runs.c.seconds).order_by(usecase_runs.c.recorded.desc())
        found: dict[str, float] = {}
        with self.engine.connect() as db:
            for name, seconds in db.execute(query.limit(recent)):
                found.setdefault(name, seconds)
        return found

    def verdicts_of(self, run_ids: Sequence[str]) -> Sequence[Any]:
        """(run id, name, status, seconds) of every verdict of these runs: the history grid's cells."""
        columns = [usecase_runs.c[n] for n in ("run_id", "name", "status", "seconds")]
        with self.engine.connect() as db:
            return list(db.execute(select(*columns).where(usecase_runs.c.run_id.in_(run_ids))))

    def tags(self) -> dict[str, Any]:
        """Each use case's tags, as its newest verdict recorded them (one JSON value per use case)."""
        newest = select(func.max(usecase_runs.c.id)).group_by(usecase_runs.c.name)
        query = select(usecase_runs.c.name, usecase_runs.c.tags).where(usecase_runs.c.id.in_(newest))
        with self.engine.connect() as db:
            return {name: tags or [] for name, tags in db.execute(query)}

    def verdicts_with_revisions(
        self, name: str | None = None, run_ids: Sequence[str] | None = None
    ) -> Sequence[dict[str, Any]]:
        """Every recorded verdict (of one use case, or all) with its run's revisions and start, oldest
        first: what flakiness and a use case's trend are read from. Each run's revisions are read once
        (a JSON column), not once per verdict."""
        verdicts = select(
            usecase_runs.c.run_id,
            usecase_runs.c.name,
            usecase_runs.c.status,
            usecase_runs.c.seconds,
            usecase_runs.c.world_digest,
        )
        if name is not None:
            verdicts = verdicts.where(usecase_runs.c.name == name)
        if run_ids is not None:
            verdicts = verdicts.where(usecase_runs.c.run_id.in_(run_ids))
        with self.engine.connect() as db:
            of_runs = {
                row.id: {"revision": row.revision, "revisions": row.revisions, "started": row.started}
                for row in db.execute(select(runs.c.id, runs.c.revision, runs.c.revisions, runs.c.started))
            }
            found = [dict(row) | of_runs[row["run_id"]] for row in db.execute(verdicts).mappings()]
        return sorted(found, key=lambda row: row["started"])

    def before(self, run: RunRecord) -> str | None:
        """The id of the run started just before `run` (the one to compare it with), if any."""
        query = select(runs.c.id).where(runs.c.started < run.started).order_by(runs.c.started.desc()).limit(1)
        with self.engine.connect() as db:
            return db.execute(query).scalar()

    def resolve(self, reference: str) -> str:
        """A run id from an id, a unique prefix of one, 'latest' or 'latest~N'."""
        with self.engine.connect() as db:
            latest = re.fullmatch(r"latest(?:~(\d+))?", reference)
            if latest:
                back = int(latest.group(1) or 0)
                query = select(runs.c.id).order_by(runs.c.started.desc()).offset(back).limit(1)
                found = db.execute(query).scalar()
                if found is None:
                    raise InputError(f"no run {reference!r}: fewer runs are recorded")
                return found
            ids = list(
                db.execute(
                    select(runs.c.id).where(runs.c.id.startswith(reference, autoescape=True)).limit(2)
                ).scalars()
            )
        if not ids:
            raise InputError(f"no recorded run {reference!r} (stagingqa runs list shows them)")
        if len(ids) > 1:
            raise InputError(f"run {reference!r} is ambiguous: give more of its id")
        return ids[0]

    def get(self, reference: str, heavy: bool = True) -> RunRecord:
        """A run with its use cases; without `heavy`, their worlds, journals and steps are left out (the
        run page of the results UI needs only verdicts and what was posted)."""
        self.mark_abandoned()
        run_id = self.resolve(reference)
        light = [c for c in usecase_runs.c if c.name not in HEAVY]
        with self.engine.connect() as db:
            row = db.execute(select(runs).where(runs.c.id == run_id)).mappings().one()
            query = select(*(usecase_runs.c if heavy else light)).where(usecase_runs.c.run_id == run_id)
            cases = db.execute(query.order_by(usecase_runs.c.name)).mappings()
            return RunRecord.from_row(row, [UseCaseRecord.from_row(c) for c in cases])

    def get_usecase(self, reference: str, name: str) -> tuple[RunRecord, UseCaseRecord]:
        """One use case of a run, with everything recorded of it."""
        run_id = self.resolve(reference)
        with self.engine.connect() as db:
            row = db.execute(select(runs).where(runs.c.id == run_id)).mappings().one()
            found = (
                db.execute(
                    select(usecase_runs).where(usecase_runs.c.run_id == run_id, usecase_runs.c.name == name)
                )
                .mappings()
                .first()
            )
        if found is None:
            raise InputError(f"run {run_id} has no use case {name!r}")
        return RunRecord.from_row(row), UseCaseRecord.from_row(found)


def world_digest(verdict: Verdict) -> str:
    """The world and fault rules a use case ran against, as 16 hex digits."""
    text = json.dumps(
        {"world": verdict.world_document, "faults": list(verdict.faults)}, sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def usecase_tags(text: str) -> list[str]:
    """The `tags:` of a use case's text (none when it does not parse: it was recorded as written)."""
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return []
    tags = data.get("tags") if isinstance(data, dict) else None
    return [str(tag) for tag in tags] if isinstance(tags, list) else []


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets the results UI read while a run writes; busy_timeout lets two verify processes share a file
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(spec: LoadedSpec) -> RunStore:
    return RunStore(database_url(spec))
