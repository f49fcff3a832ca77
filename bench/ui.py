"""Benchmark the results UI: its pages for a recorded run of 50 use cases, served by `stagingqa ui`."""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import requests

from bench.harness import ROOT, write_results
from tests.conftest import down_all, write_spec

if TYPE_CHECKING:
    from stagingqa.verifier.verdict import Verdict


def timed(url: str, repeat: int = 9) -> float:
    times = []
    with requests.Session() as session:
        for _ in range(repeat):
            started = time.perf_counter()
            answer = session.get(url, timeout=30)
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200, url
    return round(statistics.median(times) * 1000, 1)


def record_fifty(spec_path: Path) -> list[Verdict]:
    """A run of 50 use cases: the 24 real verdicts of a run at master~1 (the depcheck bug, so some fail
    with explanations), recorded under 50 names as run bench50."""
    from stagingqa.environment import lifecycle
    from stagingqa.runs.store import open_store
    from stagingqa.spec import load_spec
    from stagingqa.verifier.session import verify

    spec = load_spec(spec_path)
    with lifecycle.pristine(spec, "master~1") as env:
        report = verify(env, [ROOT / "usecases"], jobs=4)
    store = open_store(spec)
    store.start(
        "bench50",
        spec=spec,
        environment="e",
        revision=report.revision,
        ref="master~1",
        trigger="bench",
        selection={},
    )
    verdicts = [dataclasses.replace(v, name=f"{v.name}-{n}") for n in range(3) for v in report.verdicts][:50]
    for verdict in verdicts:
        store.add("bench50", verdict)
    store.finish("bench50", "failed", 30.0)
    return verdicts


def record_history(spec_path: Path, verdicts: list[Verdict], runs: int = 200) -> None:
    """200 runs of the 50 use cases (their verdicts, times and revisions varied), as a busy project's
    runs database holds after weeks: what the history pages read."""
    from stagingqa.runs.store import open_store
    from stagingqa.spec import load_spec
    from stagingqa.verifier.verdict import Status

    spec = load_spec(spec_path)
    store = open_store(spec)
    for n in range(runs):
        run_id = f"h{n:03d}"
        store.start(
            run_id,
            spec=spec,
            environment="e",
            revision=f"{n // 3:040x}",
            ref="master",
            trigger="bench",
            selection={},
        )
        for k, verdict in enumerate(verdicts):
            status = Status.FAILED if (n + k) % 17 == 0 else Status.PASSED
            store.add(
                run_id,
                dataclasses.replace(verdict, status=status, seconds=verdict.seconds * (1 + (n % 5) / 10)),
            )
        store.finish(run_id, "failed", 30.0 + n % 7)


def run() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="stagingqa-bench-") as folder:
        spec_path = write_spec(Path(folder))
        verdicts = record_fifty(spec_path)
        failed = next(v.name for v in verdicts if v.status == "failed")
        proc = subprocess.Popen(
            [sys.executable, "-m", "stagingqa", "ui", "--spec", str(spec_path), "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            ui = proc.stdout.readline().strip().removeprefix("ui: ")  # type: ignore[union-attr]
            watch = f"{ui}runs/bench50/watch-once-picks-new-items-0"
            figures["usecases_in_run"] = len(verdicts)
            figures["runs_page_ms"] = timed(ui)
            figures["run_page_ms"] = timed(f"{ui}runs/bench50")
            figures["failed_usecase_page_ms"] = timed(f"{ui}runs/bench50/{failed}")
            figures["journal_page_ms"] = timed(f"{watch}/journal")
            figures["world_after_first_ms"] = timed(f"{watch}/world/after", 1)
            figures["world_inspector_ms"] = timed(f"{ui}worlds/ui-bench50-watch-once-picks-new-items-0-after")
            record_history(spec_path, verdicts)
            figures["history_runs"] = 201
            figures["history_grid_30_runs_ms"] = timed(f"{ui}history")
            figures["history_grid_100_runs_ms"] = timed(f"{ui}history?runs=100")  # the most it shows
            figures["usecase_history_ms"] = timed(f"{ui}history/{failed}")
            figures["runs_compared_ms"] = timed(f"{ui}runs/h198/diff/h199")
            figures["run_rows_ms"] = timed(f"{ui}runs/h199/rows")
        finally:
            proc.terminate()
            proc.wait()
            down_all(spec_path)
    write_results("ui", figures)
    return figures
