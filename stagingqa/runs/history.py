"""The runs over time, as the history pages show them: a use case by run grid with the first failure
marked, flaky use cases (a different verdict at the same revisions and world), and trends."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from stagingqa.runs.records import RunRecord
from stagingqa.runs.store import RunStore

BAD = ("failed", "error")


@dataclass(frozen=True)
class Cell:
    """One use case in one run."""

    run_id: str
    status: str
    seconds: float
    first_failure: bool = False  # it passed in the run before, at an earlier revision
    flaky: bool = False


@dataclass(frozen=True)
class Row:
    name: str
    tags: list[str]
    cells: list[Cell | None]  # one per run, newest first; None: not in that run
    flaky: list[tuple[str, str]] = field(default_factory=list)  # (a run it passed in, a run it did not)


@dataclass(frozen=True)
class Grid:
    runs: list[RunRecord]  # newest first
    rows: list[Row]


def flaky_pairs(
    store: RunStore, name: str | None = None, run_ids: list[str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Use cases whose verdict differs between runs at the same revisions with the same world and
    faults: (a run it passed in, a run it failed or errored in), newest pairs first."""
    groups: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[str, str] = {}  # run id -> its revisions as one key (made once per run)
    for row in store.verdicts_with_revisions(name, run_ids):
        if row["world_digest"] is None or row["status"] not in ("passed", *BAD):
            continue  # recorded before digests, or interrupted: nothing to compare
        revisions = keys.get(row["run_id"])
        if revisions is None:
            revisions = keys[row["run_id"]] = json.dumps(
                row["revisions"] or [row["revision"]], sort_keys=True
            )
        kind = "passed" if row["status"] == "passed" else "bad"
        groups[(row["name"], revisions, row["world_digest"])][kind].append(row["run_id"])
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (case, _revisions, _world), kinds in groups.items():
        if kinds["passed"] and kinds["bad"]:
            found[case].append((kinds["passed"][-1], kinds["bad"][-1]))
    return dict(found)


def grid(store: RunStore, limit: int = 30, name: str = "", tag: str = "") -> Grid:
    """The last `limit` runs across, their use cases down (filtered by a name part or a tag)."""
    recent = store.list(limit)
    index = {run.id: n for n, run in enumerate(recent)}
    cells: dict[str, list[Cell | None]] = {}
    tags = store.tags()
    for run_id, case, status, seconds in store.verdicts_of(list(index)):
        if name and name.lower() not in case.lower():
            continue
        if tag and tag not in tags.get(case, []):
            continue
        line = cells.setdefault(case, [None] * len(recent))
        line[index[run_id]] = Cell(run_id, status, seconds)
    flaky = flaky_pairs(store, run_ids=list(index))  # among the runs shown (a use case's page: all of them)
    rows = []
    for case in sorted(cells):
        marked = _first_failures(cells[case], recent)
        flaky_runs = {run for pair in flaky.get(case, []) for run in pair}
        marked = [
            Cell(c.run_id, c.status, c.seconds, c.first_failure, c.run_id in flaky_runs) if c else None
            for c in marked
        ]
        rows.append(Row(case, tags.get(case, []), marked, flaky.get(case, [])))
    return Grid(recent, rows)


def _first_failures(line: list[Cell | None], recent: list[RunRecord]) -> list[Cell | None]:
    """Mark each cell that failed where the previous run of it (older, at another revision) passed."""
    marked = list(line)
    previous: tuple[Cell, str] | None = None  # the cell before, and its run's revision
    for n in range(len(line) - 1, -1, -1):  # oldest first
        cell = line[n]
        if cell is None:
            continue
        if cell.status in BAD and previous is not None and previous[0].status == "passed":
            if recent[n].revision != previous[1]:
                marked[n] = Cell(cell.run_id, cell.status, cell.seconds, first_failure=True)
        previous = (cell, recent[n].revision)
    return marked


def run_trend(runs: list[RunRecord]) -> dict[str, list[float]]:
    """Duration and counts of runs, oldest first (the charts read left to right)."""
    ordered = list(reversed(runs))
    return {
        "seconds": [r.seconds or 0.0 for r in ordered],
        "passed": [float(r.passed) for r in ordered],
        "failed": [float(r.failed) for r in ordered],
        "errors": [float(r.errors) for r in ordered],
    }


def usecase_runs(store: RunStore, name: str, limit: int = 100) -> list[dict[str, Any]]:
    """One use case's recorded verdicts, newest first: run, revision, verdict, seconds, start."""
    rows = store.verdicts_with_revisions(name)[-limit:]
    return [dict(row) for row in reversed(rows)]
