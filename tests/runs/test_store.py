"""The run store on SQLite and on a real PostgreSQL server: migrations, recording as a run goes, lookups."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from stagingqa.errors import InputError
from stagingqa.runs.schema import HEAD
from stagingqa.runs.store import MIGRATIONS, RunStore
from stagingqa.spec import load_spec
from stagingqa.verifier.verdict import Failure, StepOutcome, Verdict
from tests.conftest import ROOT

SPEC = load_spec(ROOT / "staging.yaml")


def verdict(name: str, status: str = "passed") -> Verdict:
    failures = (Failure("results: outcome='PASSED'", "expected exactly 1, found 0", ("closest",)),)
    return Verdict(
        name,
        f"/u/{name}.yaml",
        status,
        0.5,
        failures if status == "failed" else (),
        (StepOutcome("autoqa run", 0, 0.4, "out\n"),),
        world=f"v-1-{name}",
        usecase_text=f"name: {name}\n",
        world_document={"name": name, "builds": [{"nvr": "a-1-1"}]},
        faults=({"service": "resultsdb", "times": 1},),
        state_after={"name": name, "results": [{"id": 1}]},
        requests=({"seq": 1, "service": "koji", "status": 200},),
        results=({"testcase": "t", "outcome": "PASSED", "data": {"item": ["x"]}},),
        comments=({"update": "U", "user": "autoqa", "text": "hi", "karma": 0},),
    )


def start(store: RunStore, run_id: str) -> None:
    store.start(
        run_id,
        spec=SPEC,
        environment="e",
        revision="abc123",
        ref="master",
        trigger="cli",
        selection={"paths": []},
    )


def test_migrations_create_the_schema_at_head(runs_url):
    store = RunStore(runs_url)
    with store.engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert {"runs", "usecase_runs"} <= set(inspect(db).get_table_names())
    RunStore(runs_url)  # a second open finds the schema at head and leaves it alone


def test_head_is_the_newest_migration():
    revisions = [p.stem.split("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py")]
    assert max(revisions) == HEAD


def test_a_run_is_recorded_as_it_goes(runs_url):
    store = RunStore(runs_url)
    start(store, "aaaa1111")
    assert store.get("aaaa").status == "running"
    store.add("aaaa1111", verdict("one"))
    store.add("aaaa1111", verdict("two", "failed"))
    halfway = store.get("aaaa1111")
    assert (halfway.passed, halfway.failed, [u.name for u in halfway.usecases]) == (1, 1, ["one", "two"])
    store.finish("aaaa1111", "failed", 1.5)
    run = store.get("latest")
    assert (run.status, run.seconds, run.revision, run.trigger) == ("failed", 1.5, "abc123", "cli")
    two = run.usecase("two")
    assert two.failures[0]["detail"] == "expected exactly 1, found 0"
    assert two.world == {"name": "two", "builds": [{"nvr": "a-1-1"}]}
    assert two.state_after["results"] == [{"id": 1}]
    assert two.steps[0]["output"] == "out\n" and two.journal[0]["service"] == "koji"
    assert two.results[0]["outcome"] == "PASSED" and two.comments[0]["text"] == "hi"
    assert run.usecase(None).name == "two"  # the first failure


def test_references_latest_prefixes_and_errors(runs_url):
    store = RunStore(runs_url)
    for n, run_id in enumerate(["abc111", "abc222", "def333"]):
        start(store, run_id)
        with store.engine.begin() as db:  # distinct start times, in order
            db.execute(text("UPDATE runs SET started = :t WHERE id = :i"), {"t": 1000 + n, "i": run_id})
    assert [r.id for r in store.list()] == ["def333", "abc222", "abc111"]
    assert store.resolve("latest") == "def333" and store.resolve("latest~2") == "abc111"
    assert store.resolve("abc2") == "abc222"
    with pytest.raises(InputError, match="ambiguous"):
        store.resolve("abc")
    with pytest.raises(InputError, match="no recorded run 'zzz'"):
        store.resolve("zzz")
    with pytest.raises(InputError, match="fewer runs"):
        store.resolve("latest~9")
    with pytest.raises(InputError, match="no use case 'nope'"):
        store.get("def333").usecase("nope")


def test_a_run_whose_process_died_is_interrupted(runs_url):
    store = RunStore(runs_url)
    start(store, "dead0001")
    gone = subprocess.Popen(["true"])
    gone.wait()
    with store.engine.begin() as db:
        db.execute(text("UPDATE runs SET pid = :p WHERE id = 'dead0001'"), {"p": gone.pid})
    assert store.get("dead0001").status == "interrupted"


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="cannot use run database 'nosuch://x'"):
        RunStore("nosuch://x")


def test_the_migrations_build_exactly_the_tables_the_code_uses(runs_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from stagingqa.runs.schema import metadata

    store = RunStore(runs_url)
    with store.engine.connect() as db:
        assert compare_metadata(MigrationContext.configure(db), metadata) == []


def test_durations_are_each_use_cases_newest(runs_url):
    store = RunStore(runs_url)
    start(store, "old00001")
    store.add("old00001", dataclasses.replace(verdict("one"), seconds=9.0))
    store.add("old00001", dataclasses.replace(verdict("two"), seconds=1.0))
    start(store, "new00001")
    store.add("new00001", dataclasses.replace(verdict("one"), seconds=2.0))
    assert store.durations() == {"one": 2.0, "two": 1.0}
