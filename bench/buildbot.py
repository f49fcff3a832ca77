"""Benchmark the Buildbot master on examples/autoqa: commit to build start and commit to verdict with a 2 s
poll (every use case, -j 4), and the master's memory."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, write_results


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=B", "-c", "user.email=b@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024


def run(commits: int = 3, jobs: int = 4) -> dict:
    from stagingqa.examplerepo import generate_autoqa_repository
    from stagingqa.master import control
    from stagingqa.master.settings import Settings
    from tests.conftest import write_spec
    from tests.postgres import free_port

    figures: dict = {"jobs": jobs}
    with tempfile.TemporaryDirectory(prefix="stagingqa-bench-") as folder:
        work = Path(folder)
        repo = work / "autoqa"
        generate_autoqa_repository(repo)
        settings = Settings(
            spec=str(write_spec(work, str(repo))),
            poll_interval=2,
            tree_stable_timer=0,
            www_port=free_port(),
            pb_port=free_port(),
            jobs=jobs,
        )
        started = time.perf_counter()
        status = control.start(settings)
        figures["master_start_s"] = round(time.perf_counter() - started, 2)
        try:
            time.sleep(3)  # the poller's first poll records the head
            to_start, to_verdict, to_end = [], [], []
            for n in range(commits):
                (repo / "NOTES").write_text(f"note {n}\n")
                git(repo, "add", "NOTES")
                git(repo, "commit", "-q", "-m", f"notes {n}")
                sha = git(repo, "rev-parse", "HEAD")
                committed = time.perf_counter()
                started_at = verdict_at = None
                while True:
                    builds = control.rest(settings, "builds?order=-buildid&limit=1&property=got_revision")[
                        "builds"
                    ]
                    build = builds[0] if builds else None
                    if build and build["number"] == n + 1:  # this commit's build
                        started_at = started_at or time.perf_counter() - committed
                        if verdict_at is None:
                            steps = control.rest(settings, f"builds/{build['buildid']}/steps")["steps"]
                            if any(step["name"] == "verify" and step["complete"] for step in steps):
                                verdict_at = time.perf_counter() - committed
                        if build["complete"]:
                            assert build["results"] == 0, build["state_string"]
                            assert build["properties"]["got_revision"][0] == sha
                            break
                    time.sleep(0.1)
                to_start.append(started_at or 0.0)
                to_verdict.append(verdict_at or 0.0)
                to_end.append(time.perf_counter() - committed)
            figures["commit_to_build_start_s"] = round(statistics.median(to_start), 2)
            figures["commit_to_verdict_s"] = round(statistics.median(to_verdict), 2)
            figures["commit_to_build_end_s"] = round(statistics.median(to_end), 2)
            figures["master_rss_mib"] = round(rss_mib(status.pid or 0), 1)
        finally:
            control.stop(settings)
            subprocess.run(
                [str(ROOT / ".venv/bin/stagingqa"), "down", "--all", "--spec", settings.spec],
                capture_output=True,
            )
    write_results("buildbot", figures)
    return figures
