"""The run commands as functions returning data: the CLI, the results UI and Buildbot steps call these."""

from __future__ import annotations

from stagingqa.runs.diff import RunDiff, diff_runs
from stagingqa.runs.records import RunRecord
from stagingqa.runs.store import open_store
from stagingqa.spec import LoadedSpec


def list_runs(spec: LoadedSpec, limit: int = 50) -> list[RunRecord]:
    """The newest runs first (without their use cases)."""
    return open_store(spec).list(limit)


def show_run(spec: LoadedSpec, reference: str) -> RunRecord:
    """One run with every use case it verified."""
    return open_store(spec).get(reference)


def diff(spec: LoadedSpec, reference_a: str, reference_b: str) -> RunDiff:
    store = open_store(spec)
    return diff_runs(store.get(reference_a), store.get(reference_b))
