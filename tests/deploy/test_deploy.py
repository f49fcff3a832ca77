"""stagingqa deploy / undeploy / shell: a branch's environment kept for people, upgraded on later deploys,
removed when its branch goes, within deploy.max_live and its time to live."""

from __future__ import annotations

import json
import time
from pathlib import Path

from stagingqa.spec import load_spec
from stagingqa.ui.app import create_app
from tests.deploy.conftest import git, stagingqa, write_deploy_spec


def test_deploy_then_upgrade_keeps_both_revisions_and_a_page(project):
    spec, repo = project
    first = stagingqa(spec, "deploy", "feature/x", "--json", "--ui-url", "http://ui.test/")
    assert first.returncode == 0, first.stdout + first.stderr
    made = json.loads(first.stdout)["data"]
    assert made["name"] == "deploy-feature-x" and made["status"] == "passed" and not made["upgraded"]
    assert made["url"] == "http://ui.test/environments/deploy-feature-x"
    assert made["revision"] == git(repo, "rev-parse", "feature/x") and made["run"]
    git(repo, "checkout", "-q", "feature/x")
    (repo / "NOTES").write_text("feature x, second push\n")
    git(repo, "commit", "-q", "-am", "second push")
    git(repo, "checkout", "-q", "master")
    again = json.loads(stagingqa(spec, "deploy", "feature/x", "--json").stdout)["data"]
    assert again["upgraded"] and again["previous"] == [made["revision"]]
    assert again["revision"] == git(repo, "rev-parse", "feature/x") and again["run"] != made["run"]
    listed = json.loads(stagingqa(spec, "deploy", "--list", "--json").stdout)["data"]
    assert [(d["name"], d["branch"], d["status"]) for d in listed] == [
        ("deploy-feature-x", "feature/x", "passed")
    ]
    text = stagingqa(spec, "deploy", "feature/x").stdout
    assert (
        "upgraded feature/x at" in text
        and "page: http://127.0.0.1:8020/environments/deploy-feature-x" in text
    )


def test_bad_deploys_are_clear_and_leave_nothing(project):
    spec, _ = project
    missing = stagingqa(spec, "deploy", "no-such-branch")
    assert missing.returncode == 2 and "revision 'no-such-branch' not found" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert json.loads(stagingqa(spec, "deploy", "--list", "--json").stdout)["data"] == []
    assert stagingqa(spec, "deploy", "feature/x").returncode == 0
    taken = stagingqa(spec, "deploy", "master", "--name", "deploy-feature-x")
    assert taken.returncode == 2
    assert "deployment 'deploy-feature-x' is used by 'feature/x'" in taken.stderr
    assert stagingqa(spec, "undeploy", "nope").returncode == 2
    assert stagingqa(spec, "deploy", "feature/x", "--ttl", "soon").returncode == 2


def test_a_branch_deleted_or_merged_is_undeployed(project):
    spec, repo = project
    git(repo, "branch", "feature/y", "feature/x")
    git(repo, "checkout", "-q", "feature/y")
    (repo / "Y").write_text("y\n")
    git(repo, "add", "Y")
    git(repo, "commit", "-q", "-m", "feature y")
    git(repo, "checkout", "-q", "master")
    for branch in ("feature/x", "feature/y", "master"):
        assert stagingqa(spec, "deploy", branch).returncode == 0
    assert stagingqa(spec, "undeploy", "--gone").stdout.strip() == "undeployed: nothing"
    git(repo, "branch", "-D", "feature/y")
    git(repo, "merge", "-q", "--no-edit", "feature/x")
    gone = stagingqa(spec, "undeploy", "--gone").stdout
    assert "undeploying deploy-feature-x: branch feature/x was merged into master" in gone
    assert "undeploying deploy-feature-y: branch feature/y was deleted" in gone
    left = [d["name"] for d in json.loads(stagingqa(spec, "deploy", "--list", "--json").stdout)["data"]]
    assert left == ["deploy-master"]  # the spec's own branch is never merged into itself


def test_max_live_removes_the_oldest_idle_and_ttl_expires(tmp_path, project):
    _spec, repo = project
    limited = write_deploy_spec(tmp_path / "limited", repo, max_live=1)
    assert stagingqa(limited, "deploy", "feature/x").returncode == 0
    second = stagingqa(limited, "deploy", "master")
    assert second.returncode == 0, second.stderr
    assert "undeploying deploy-feature-x (feature/x): the oldest idle of 1 live deployments" in second.stderr
    assert [
        d["name"] for d in json.loads(stagingqa(limited, "deploy", "--list", "--json").stdout)["data"]
    ] == ["deploy-master"]
    assert stagingqa(limited, "deploy", "master", "--ttl", "1s").returncode == 0
    time.sleep(1.5)
    assert stagingqa(limited, "gc").stdout.strip() == "removed: deploy-master"
    stagingqa(limited, "down", "--all")


def test_shell_gives_the_environments_variables_and_prompt(project):
    spec, _ = project
    assert stagingqa(spec, "deploy", "feature/x").returncode == 0
    done = stagingqa(
        spec,
        "shell",
        "deploy-feature-x",
        "-c",
        'echo "$VIRTUAL_ENV|$AUTOQA_BODHI_URL|$PWD"; autoqa --version',
    )
    assert done.returncode == 0, done.stderr
    venv, bodhi, cwd = done.stdout.splitlines()[0].split("|")
    assert venv.endswith("/envs/deploy-feature-x/venv") and "/w/env-deploy-feature-x/bodhi/" in bodhi
    assert cwd.endswith("/envs/deploy-feature-x/home") and "autoqa" in done.stdout.splitlines()[1]
    assert stagingqa(spec, "shell", "nope", "-c", "true").returncode == 2


def commit_on(repo, branch: str, path: str, text: str) -> str:
    """Commit `text` to `path` on `branch`, back on master; the commit."""
    git(repo, "checkout", "-q", branch)
    (repo / path).write_text(text)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", f"{path} on {branch}")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "master")
    return head


def test_a_branch_is_deployed_merged_into_master_and_reproduced_from_both(project):
    spec, repo = project
    base = commit_on(repo, "master", "CHANGES", "master moved on\n")
    done = stagingqa(spec, "deploy", "feature/x", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    made = json.loads(done.stdout)["data"]
    head = git(repo, "rev-parse", "feature/x")
    assert made["revision"] == head and made["onto"] == base and made["merge"] not in (head, base)
    env = json.loads(stagingqa(spec, "status", "deploy-feature-x", "--json").stdout)["data"]
    assert env["revision"] == made["merge"]
    src = Path(env["path"]) / "src"
    assert (src / "NOTES").read_text() == "feature x\n" and (src / "CHANGES").exists()
    parents = git(src, "show", "-s", "--format=%P", made["merge"]).split()
    assert parents == [base, head]
    # the run records both parents; the merge is rebuilt with the same commit id
    run = json.loads(stagingqa(spec, "runs", "show", made["run"], "--json").stdout)["data"]
    assert list(run["revisions"].values()) == [f"{head}+{base}"]
    again = stagingqa(spec, "reproduce", made["run"], "--usecase", "upgradepath-passes", "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    rebuilt = json.loads(again.stdout)["data"]
    rebuilt_env = json.loads(stagingqa(spec, "status", rebuilt["environment"], "--json").stdout)["data"]
    assert rebuilt_env["revision"] == made["merge"]
    text = stagingqa(spec, "deploy", "feature/x").stdout
    assert f"merged into master at {base[:12]}: {made['merge'][:12]}" in text
    listing = create_app(load_spec(spec)).test_client().get("/environments/").get_data(as_text=True)
    assert f"{head[:12]} merged into {base[:12]}" in listing


def test_a_branch_that_does_not_merge_is_refused_unless_deployed_alone(project):
    spec, repo = project
    commit_on(repo, "master", "NOTES", "master's own notes\n")
    refused = stagingqa(spec, "deploy", "feature/x")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "feature/x into master does not merge cleanly: conflicts in NOTES" in refused.stderr
    assert json.loads(stagingqa(spec, "deploy", "--list", "--json").stdout)["data"] == []
    alone = stagingqa(spec, "deploy", "feature/x", "--no-merge", "--json")
    assert alone.returncode == 0, alone.stderr
    made = json.loads(alone.stdout)["data"]
    assert made["revision"] == git(repo, "rev-parse", "feature/x") and made["merge"] is None
