"""A real Buildbot master deploying watched branches for manual QA: a new branch is deployed, a push
upgrades it, and a branch deleted or merged into master is undeployed by the periodic collection."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control
from stagingqa.master.settings import Settings
from tests.conftest import down_all
from tests.deploy.conftest import git, push_branch, write_deploy_spec
from tests.postgres import free_port


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deploys")
    repo = folder / "autoqa"
    generate_autoqa_repository(repo)
    spec = write_deploy_spec(folder, repo)
    settings = Settings(
        spec=str(spec),
        poll_interval=1,
        tree_stable_timer=0,
        www_port=free_port(),
        pb_port=free_port(),
        ui_url="http://127.0.0.1:8020/",
        deploy_branches=["feature/*"],
        deploy_gc_interval=2,
    )
    control.start(settings)
    yield settings, repo, spec
    control.stop(settings)
    down_all(spec)


def deployments(spec: Path) -> dict[str, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "stagingqa", "deploy", "--list", "--json", "--spec", str(spec)],
        capture_output=True,
        text=True,
    )
    return {d["name"]: d for d in json.loads(done.stdout)["data"]}


def deploy_builds(settings: Settings) -> list[dict]:
    [builder] = control.rest(settings, "builders?name=deploy")["builders"]
    return control.rest(
        settings, f"builders/{builder['builderid']}/builds?order=-number&limit=10&property=*"
    )["builds"]


def wait(condition, timeout: float = 240, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_branch_is_deployed_upgraded_and_undeployed_when_deleted(master):
    settings, repo, spec = master
    wait(
        lambda: "gitpoller" in (Path(control.status(settings).basedir) / "twistd.log").read_text().lower(), 30
    )
    time.sleep(1.5)
    first = push_branch(repo, "feature/a", "feature a\n", new=True)
    built = wait(
        lambda: [
            b for b in deploy_builds(settings) if b["complete"] and b["properties"].get("environment_url")
        ],
        what="the deploy build of feature/a",
    )
    assert built[0]["results"] == 0, built[0]["state_string"]
    url = built[0]["properties"]["environment_url"][0]
    assert url == "http://127.0.0.1:8020/environments/deploy-feature-a"
    assert deployments(spec)["deploy-feature-a"]["revisions"] == [first]
    second = push_branch(repo, "feature/a", "feature a, again\n")
    wait(lambda: deployments(spec)["deploy-feature-a"]["revisions"] == [first, second], what="the upgrade")
    git(repo, "branch", "-D", "feature/a")
    wait(lambda: "deploy-feature-a" not in deployments(spec), 60, "undeploying the deleted branch")


def test_a_branch_merged_into_master_is_undeployed(master):
    _settings, repo, spec = master
    push_branch(repo, "feature/b", "feature b\n", new=True)
    wait(lambda: "deploy-feature-b" in deployments(spec), what="deploying feature/b")
    git(repo, "merge", "-q", "--no-edit", "feature/b")
    wait(lambda: "deploy-feature-b" not in deployments(spec), 60, "undeploying the merged branch")
