"""A real Buildbot master and LocalWorker on free ports, polling a temporary repository of examples/autoqa:
a commit builds and passes, a commit with the known bug builds and fails on the right use case, a forced
build at a revision, a separate buildbot-worker process over PB, and no process left after stop."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stagingqa.demo import commit_bug, wait_for_build_of
from stagingqa.environment.mockhost import recorded_host
from stagingqa.environment.processes import alive
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control
from stagingqa.master.settings import Settings
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import ROOT, down_all, write_spec
from tests.postgres import free_port

USECASES = [
    str(ROOT / "usecases" / f"{name}.yaml")
    for name in (
        "upgradepath-1.10-newer-than-1.9",
        "depcheck-satisfied-by-same-update",
        "comment-format-and-karma",
    )
]


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@dataclasses.dataclass
class Master:
    settings: Settings
    repo: Path
    commits: list

    def steps(self, build: dict) -> dict[str, dict]:
        return {
            s["name"]: s for s in control.rest(self.settings, f"builds/{build['buildid']}/steps")["steps"]
        }

    def run_of(self, build: dict):
        return open_store(load_spec(Path(self.settings.spec))).get(build["properties"]["stagingqa_run"][0])


def make_settings(tmp_path: Path, repo: Path, **changes) -> Settings:
    fields = {
        "spec": str(write_spec(tmp_path, str(repo))),
        "poll_interval": 1,
        "tree_stable_timer": 0,
        "www_port": free_port(),
        "pb_port": free_port(),
        "ui_url": "http://127.0.0.1:8020/",
        "usecases": USECASES,
        "jobs": 3,
    }
    return Settings(**{**fields, **changes})


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("master")
    repo = tmp_path / "autoqa"
    commits = generate_autoqa_repository(repo)
    settings = make_settings(tmp_path, repo)
    control.start(settings)
    yield Master(settings, repo, commits)
    control.stop(settings)
    down_all(Path(settings.spec))


def wait_first_poll(master: Master) -> None:
    """The poller's first poll only records the head: commits before it would never build."""
    log = Path(control.status(master.settings).basedir) / "twistd.log"
    deadline = time.monotonic() + 30
    while "gitpoller" not in log.read_text(errors="replace").lower() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)


def test_a_commit_builds_and_passes_then_a_bug_fails_the_right_usecase(master):
    wait_first_poll(master)
    (master.repo / "NOTES").write_text("a harmless change\n")
    git(master.repo, "add", "NOTES")
    git(master.repo, "commit", "-q", "-m", "notes")
    good = wait_for_build_of(master, git(master.repo, "rev-parse", "HEAD"), timeout=300)
    assert good["results"] == 0, good["state_string"]
    steps = master.steps(good)
    assert steps["verify"]["state_string"] == "3 passed, 0 failed, 0 errors"
    assert steps["teardown"]["results"] == 0
    run = master.run_of(good)
    assert run.trigger == "buildbot:on-commit" and run.revision == good["properties"]["got_revision"][0]
    assert run.build_url.endswith(f"#/builders/{good['builderid']}/builds/{good['number']}")
    assert steps["verify"]["urls"][0]["url"] == f"http://127.0.0.1:8020/runs/{run.id}"
    [results] = control.rest(master.settings, f"builds/{good['buildid']}/test_result_sets")[
        "test_result_sets"
    ]
    assert (results["tests_passed"], results["tests_failed"]) == (3, 0)

    bad = wait_for_build_of(master, commit_bug(master.repo), timeout=300)
    assert bad["results"] == 2
    steps = master.steps(bad)
    assert steps["verify"]["state_string"].startswith("2 passed, 1 failed, 0 errors")
    assert steps["teardown"]["results"] == 0  # torn down although verification failed
    failed = [u.name for u in master.run_of(bad).usecases if u.status == "failed"]
    assert failed == ["depcheck-satisfied-by-same-update"]
    assert not list((Path(master.settings.spec).parent / "state" / "envs").iterdir())


def test_a_forced_build_at_a_revision(master):
    [buggy] = [c for c in master.commits if c.bug == "upgradepath-string-compare"]
    request = control.force(master.settings, buggy.sha[:10])
    build = control.rest(
        master.settings, f"builds/{control.wait_build(master.settings, request)['buildid']}?property=*"
    )["builds"][0]
    assert build["properties"]["got_revision"][0] == buggy.sha
    assert build["results"] == 2
    failed = [u.name for u in master.run_of(build).usecases if u.status == "failed"]
    assert failed == ["upgradepath-1.10-newer-than-1.9"]
    assert master.run_of(build).trigger == "buildbot:force"


def test_a_forced_build_with_the_upgrade_comparison(master):
    # the generated master (depcheck fixed) against an environment upgraded from its parent (the bug)
    request = control.force(master.settings, master.commits[-1].sha, compare_upgrade=True)
    build = control.wait_build(master.settings, request)
    steps = master.steps(build)
    assert steps["compare-upgrade"]["results"] == 0 and not steps["compare-upgrade"]["hidden"]
    log = control.rest(
        master.settings, f"builds/{build['buildid']}/steps/{steps['compare-upgrade']['number']}/logs"
    )
    [stdio] = [entry for entry in log["logs"] if entry["slug"] == "stdio"]
    text = control.rest_text(master.settings, f"logs/{stdio['logid']}/raw_inline")
    assert "upgrade comparison: 3 use cases post the same, 0 differ" in text


def test_a_separate_worker_process_over_pb(tmp_path):
    repo = tmp_path / "autoqa"
    generate_autoqa_repository(repo)
    settings = make_settings(
        tmp_path, repo, local_worker=False, workers={"remote1": "secret"}, usecases=USECASES[2:]
    )
    worker = tmp_path / "worker"
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [
            str(bin_dir / "buildbot-worker"),
            "create-worker",
            "-r",
            "--maxdelay",
            "2",
            str(worker),
            f"127.0.0.1:{settings.pb_port}",
            "remote1",
            "secret",
        ],
        check=True,
        capture_output=True,
    )
    control.start(settings)
    environ = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [str(bin_dir / "buildbot-worker"), "start", str(worker)], check=True, capture_output=True, env=environ
    )
    try:
        control.wait_ready(dataclasses.replace(settings, local_worker=True))  # until a worker is attached
        assert control.status(settings).workers == ["remote1"]
        build = control.wait_build(settings, control.force(settings))
        assert build["results"] == 0, build["state_string"]
        assert (
            build["workerid"]
            and control.rest(settings, f"workers/{build['workerid']}")["workers"][0]["name"] == "remote1"
        )
        # the build's teardown left the mock host running for the next build
        state_dir = Path(settings.spec).parent / "state"
        kept = recorded_host(state_dir)
        assert kept is not None and alive(kept["pid"])
    finally:
        subprocess.run([str(bin_dir / "buildbot-worker"), "stop", str(worker)], capture_output=True)
        pid = control.status(settings).pid
        control.stop(settings)
        down_all(Path(settings.spec))
    # stop leaves no process of the master behind, nor the host its builds kept
    assert pid is not None and not Path(f"/proc/{pid}").exists()
    assert not alive(kept["pid"]) and recorded_host(state_dir) is None
    leftovers = subprocess.run(
        ["pgrep", "-f", str(Path(control.status(settings).basedir))], capture_output=True, text=True
    )
    assert leftovers.stdout.strip() == ""
