"""Benchmark run records: recording overhead per use case, `stagingqa reproduce` warm, and `stagingqa
bisect` over 16 revisions of examples/autoqa."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, write_results
from tests.conftest import write_spec


def cli(spec: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "stagingqa", *args, "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return time.perf_counter() - started, done


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def sixteen_revisions(work: Path) -> Path:
    """The example repository with 15 more commits after the depcheck bug: 16 candidates from master~2."""
    from stagingqa.examplerepo import generate_autoqa_repository

    repo = work / "autoqa-long"
    generate_autoqa_repository(repo)
    git(repo, "checkout", "-q", "-B", "master", "HEAD~1")  # the tip is the fix: drop it
    for n in range(15):
        (repo / "NOTES").write_text(f"note {n}\n")
        git(repo, "add", "NOTES")
        git(
            repo,
            "-c",
            "user.name=bench",
            "-c",
            "user.email=b@example.org",
            "commit",
            "-q",
            "-m",
            f"notes {n}",
        )
    return repo


def recording(work: Path, spec_path: Path) -> dict:
    """The verdicts of a real run of every use case, recorded 5 times into a SQLite file."""
    from stagingqa.environment import lifecycle
    from stagingqa.runs.store import RunStore
    from stagingqa.spec import load_spec
    from stagingqa.verifier.session import verify

    figures: dict = {}
    spec = load_spec(spec_path)
    with lifecycle.pristine(spec) as env:
        report = verify(env, [ROOT / "usecases"], jobs=4)  # real verdicts to record
    store = RunStore(f"sqlite:///{work / 'runs.sqlite'}")
    per_case = []
    for n in range(5):
        store.start(
            f"bench{n}",
            spec=spec,
            environment=env.name,
            revision=env.revision,
            ref="master",
            trigger="bench",
            selection={},
        )
        for verdict in report.verdicts:
            started = time.perf_counter()
            store.add(f"bench{n}", verdict)
            per_case.append(time.perf_counter() - started)
        store.finish(f"bench{n}", "passed", 1.0)
    figures["record_per_usecase_median_ms"] = round(statistics.median(per_case) * 1000, 2)
    figures["record_per_usecase_max_ms"] = round(max(per_case) * 1000, 2)
    figures["recorded_run_kib"] = round((work / "runs.sqlite").stat().st_size / 5 / 1024)
    return figures


def reproduce_warm(spec_path: Path) -> dict:
    """`stagingqa reproduce` of a recorded failed run, end to end, median of 3."""
    _, done = cli(
        spec_path,
        "verify",
        str(ROOT / "usecases/upgradepath-1.10-newer-than-1.9.yaml"),
        "--ref",
        "master~3",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    timings = []
    for _ in range(3):
        seconds, done = cli(spec_path, "reproduce", "latest", "--json")
        assert done.returncode == 0, done.stderr
        timings.append(seconds)
        cli(spec_path, "down", json.loads(done.stdout)["data"]["environment"])
    return {"reproduce_warm_s": round(statistics.median(timings), 2)}


def bisect_sixteen(work: Path) -> dict:
    """`stagingqa bisect` over 16 candidate revisions."""
    figures: dict = {}
    (work / "long").mkdir()
    long_spec = write_spec(work / "long", str(sixteen_revisions(work)))
    seconds, done = cli(
        long_spec,
        "bisect",
        "--usecase",
        "depcheck-satisfied-by-same-update",
        "--good",
        "master~16",
        "--bad",
        "master",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["data"]
    figures["bisect_16_revisions_s"] = round(seconds, 1)
    figures["bisect_candidates"] = found["candidates"]
    figures["bisect_builds"] = len(found["tested"])
    figures["bisect_found"] = found["subject"]
    return figures


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="stagingqa-bench-") as folder:
        work = Path(folder)
        spec_path = write_spec(work)
        figures = {**recording(work, spec_path), **reproduce_warm(spec_path), **bisect_sixteen(work)}
    write_results("runs", figures)
    return figures
