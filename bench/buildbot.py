"""Benchmark the Buildbot master on examples/autoqa: commit to build start and commit to verdict (every use
case, -j 4) with the Git hook that asks the master to poll at once (the 60 s poll behind it), each step's
own time, and the master's memory."""

from __future__ import annotations

import contextlib
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.buildbot_events import BuildEvents
from bench.harness import rss_kib, write_results
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control, hooks
from stagingqa.master.settings import BUILDER, Settings, system_repositories
from tests.conftest import down_all, write_spec
from tests.postgres import free_port


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=B", "-c", "user.email=b@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


ELAPSED = re.compile(r"^elapsedTime=([0-9.]+)$", re.MULTILINE)
STEP_SECONDS: dict[str, list[float]] = {}  # each step's durations, over the commits timed


def step_seconds(settings: Settings, step: dict) -> float:
    """A command step's own elapsed time, which its log ends with (Buildbot keeps the step's times in whole
    seconds); whole seconds for a step without one."""
    logs = control.rest(settings, f"steps/{step['stepid']}/logs")["logs"]
    for log in logs:
        if log["name"] == "stdio":
            text = control.rest_text(settings, f"logs/{log['logid']}/raw")
            found = ELAPSED.search(text)
            if found:
                return float(found.group(1))
    return float(step["complete_at"] - step["started_at"])


def time_commit(
    settings: Settings, repo: Path, number: int, events: BuildEvents
) -> tuple[float, float, float]:
    """Commit; seconds until the build of it starts, until its verify step ends (both as the master
    announces them), until it ends (and each step's duration in STEP_SECONDS)."""
    builderid = control.rest(settings, f"builders/{BUILDER}")["builders"][0]["builderid"]
    (repo / "NOTES").write_text(f"note {number}\n")
    git(repo, "add", "NOTES")
    git(repo, "commit", "-q", "-m", f"notes {number}")
    sha = git(repo, "rev-parse", "HEAD")
    committed = time.perf_counter()
    build = events.wait(
        lambda key, m: key.endswith("/new") and m["builderid"] == builderid and m["number"] == number + 1
    )
    verdict = events.wait(
        lambda key, m: (
            key.endswith("/finished") and m["buildid"] == build["buildid"] and m["name"] == "verify"
        )
    )
    while True:
        found = control.rest(settings, f"builds/{build['buildid']}?property=got_revision")["builds"][0]
        if found["complete"]:
            break
        time.sleep(0.5)
    assert found["results"] == 0, found["state_string"]
    for step in control.rest(settings, f"builds/{found['buildid']}/steps")["steps"]:
        if step["started_at"] and step["complete_at"]:
            STEP_SECONDS.setdefault(step["name"], []).append(step_seconds(settings, step))
    STEP_SECONDS.setdefault("(build)", []).append(found["complete_at"] - found["started_at"])
    assert found["properties"]["got_revision"][0] == sha
    return build["_at"] - committed, verdict["_at"] - committed, time.perf_counter() - committed


@contextlib.contextmanager
def running_master(work: Path, jobs: int, figures: dict) -> Iterator[tuple[Settings, Path, BuildEvents]]:
    """A master on a fresh example repository under `work` (its start time and, at the end, its memory in
    `figures`), past its first poll, with its event stream; stopped and its environments removed after."""
    work.mkdir(parents=True, exist_ok=True)
    repo = work / "autoqa"
    generate_autoqa_repository(repo)
    settings = Settings(
        spec=str(write_spec(work, str(repo))),
        poll_interval=60,  # the hook asks for a poll at each commit, as a real set-up would
        tree_stable_timer=0,
        www_port=free_port(),
        pb_port=free_port(),
        jobs=jobs,
    )
    hooks.install(settings, system_repositories(settings))  # a commit asks the master to poll at once
    started = time.perf_counter()
    status = control.start(settings)
    figures["master_start_s"] = round(time.perf_counter() - started, 2)
    try:
        time.sleep(3)  # the poller's first poll records the head
        yield settings, repo, BuildEvents(settings)
        figures["master_rss_mib"] = round(rss_kib(status.pid or 0) / 1024, 1)
    finally:
        control.stop(settings)
        down_all(Path(settings.spec))


def step_medians() -> dict[str, float]:
    return {name: round(statistics.median(s), 2) for name, s in STEP_SECONDS.items()}


def measure(work: Path, commits: int, jobs: int) -> dict:
    """A master on a fresh example repository under `work`: its start, then `commits` commits timed."""
    figures: dict = {"jobs": jobs}
    with running_master(work, jobs, figures) as (settings, repo, events):
        timed = [time_commit(settings, repo, n, events) for n in range(commits)]
    to_start, to_verdict, to_end = zip(*timed, strict=True)
    figures["commit_to_build_start_s"] = round(statistics.median(to_start), 2)
    figures["commit_to_verdict_s"] = round(statistics.median(to_verdict), 2)
    figures["commit_to_build_end_s"] = round(statistics.median(to_end), 2)
    figures["step_s"] = step_medians()
    return figures


def run(commits: int = 3, jobs: int = 4) -> dict:
    with tempfile.TemporaryDirectory(prefix="stagingqa-bench-") as folder:
        figures = measure(Path(folder), commits, jobs)
    write_results("buildbot", figures)
    return figures
