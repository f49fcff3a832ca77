"""A real Buildbot master watching a system of two repositories (minitron's runner and checks): a commit
to either builds, with both revisions in the build's properties and in the run record, and a forced
build at a revision of one component."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from stagingqa.master import control
from stagingqa.master.settings import Settings
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import down_all
from tests.postgres import free_port
from tests.systems.minitron import commit, make_minitron, write_staging

pytestmark = pytest.mark.skipif(
    subprocess.run(["/usr/bin/python3", "-c", "import rpm"], capture_output=True).returncode != 0,
    reason="needs the distribution's python3-rpm (scripts/bootstrap test installs it)",
)


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    folder = tmp_path_factory.mktemp("components")
    system = make_minitron(folder / "repos")
    spec = write_staging(folder, system)
    settings = Settings(
        spec=str(spec),
        poll_interval=1,
        tree_stable_timer=0,
        www_port=free_port(),
        pb_port=free_port(),
        jobs=4,
    )
    control.start(settings)
    yield settings, system
    control.stop(settings)
    down_all(spec)


def got_revisions(build: dict) -> dict:
    return build["properties"].get("got_revision", [{}])[0]


def wait_for(settings: Settings, codebase: str, revision: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        builds = control.rest(settings, "builds?order=-buildid&limit=5&property=*")["builds"]
        for build in builds:
            if build["complete"] and got_revisions(build).get(codebase) == revision:
                return build
        time.sleep(0.5)
    raise AssertionError(f"no build of {codebase} at {revision[:12]}")


def wait_polled(settings: Settings) -> None:
    log = Path(control.status(settings).basedir) / "twistd.log"
    deadline = time.monotonic() + 30
    while log.read_text(errors="replace").lower().count("gitpoller") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)


def test_a_commit_to_either_repository_builds_both(master):
    settings, system = master
    wait_polled(settings)
    fixed = commit(
        system.checks,
        {
            "upgradepath.py": (system.checks / "upgradepath.py")
            .read_text()
            .replace(
                "if mine['version'] <= latest['version']:  # compares versions as text",
                "if compare(evr(mine), evr(latest)) <= 0:",
            )
        },
        "upgradepath: compare EVRs again",
    )
    build = wait_for(settings, "checks", fixed)
    assert build["results"] == 0, build["state_string"]
    runner_head = subprocess.run(
        ["git", "-C", str(system.runner), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert got_revisions(build) == {"runner": runner_head, "checks": fixed}
    run = open_store(load_spec(Path(settings.spec))).get(build["properties"]["stagingqa_run"][0])
    assert run.revisions == {"runner": runner_head, "checks": fixed} and run.revision == runner_head
    assert (run.passed, run.failed) == (4, 0)
    note = commit(system.runner, {"NOTES": "a runner change\n"}, "runner notes")
    again = wait_for(settings, "runner", note)
    assert got_revisions(again) == {"runner": note, "checks": fixed} and again["results"] == 0


def test_a_forced_build_at_a_revision_of_one_component(master):
    settings, system = master
    request = control.force(settings, ref=f"checks={system.bug}")
    build = control.wait_build(settings, request, timeout=300)
    build = control.rest(settings, f"builds/{build['buildid']}?property=*")["builds"][0]
    assert got_revisions(build)["checks"] == system.bug
    assert build["results"] == 2  # the text comparison of versions fails tool-1-10-is-newer
