"""Benchmark `stagingqa mutate` (issue 23): mutants per minute on examples/autoqa's checks and on minitron
(the two-repository system of the tests), on this machine, as a user runs it."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import write_results
from tests.conftest import down_all, write_spec
from tests.systems.minitron import make_minitron, write_staging

MAX = 24  # of the fifth of examples/autoqa's check mutants drawn with seed 1: killed ones and survivors
JOBS = 2


def timed(spec: Path, *args: str) -> tuple[dict, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "stagingqa", "mutate", "--spec", str(spec), "--json", *args],
        capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stdout + done.stderr)
    return json.loads(done.stdout)["data"], seconds


def figures_of(report: dict, seconds: float, prefix: str) -> dict:
    mutants = report["mutants"]
    judged = sum(m["seconds"] for m in mutants)
    return {
        f"{prefix}_mutants": len(mutants),
        f"{prefix}_generated": report["generated"],
        f"{prefix}_counts": report["counts"],
        f"{prefix}_wall_s": round(seconds, 1),
        f"{prefix}_mutants_per_minute": round(len(mutants) / seconds * 60, 1),
        f"{prefix}_killed_mean_s": _mean([m["seconds"] for m in mutants if m["outcome"] == "killed"]),
        f"{prefix}_survived_mean_s": _mean([m["seconds"] for m in mutants if m["outcome"] != "killed"]),
        f"{prefix}_use_cases_run_per_killed": _mean(
            [len(m["ran"]) for m in mutants if m["outcome"] == "killed"]
        ),
        f"{prefix}_mutant_seconds_total": round(judged, 1),
    }


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def run() -> dict:
    figures: dict = {"jobs": JOBS}
    with tempfile.TemporaryDirectory(prefix="stagingqa-mutate-") as folder:
        work = Path(folder) / "autoqa"
        work.mkdir()
        spec = write_spec(work)
        try:
            report, seconds = timed(spec, "--path", "autoqa/checks/*.py", "--sample", "0.2", "--seed", "1",
                                    "--max", str(MAX), "-j", str(JOBS))  # fmt: skip
            figures.update(figures_of(report, seconds, "autoqa"))
        finally:
            down_all(spec)
        system = make_minitron(Path(folder) / "repos")
        (Path(folder) / "minitron").mkdir()
        mini = write_staging(Path(folder) / "minitron", system)
        try:
            report, seconds = timed(
                mini, "--component", "checks", "--ref", f"checks={system.good}", "-j", str(JOBS)
            )
            figures.update(figures_of(report, seconds, "minitron"))
        finally:
            down_all(mini)
    write_results("mutation", figures)
    return figures
