"""The generated autoqa repository: a deterministic history whose bug commits really misbehave."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from stagingqa.errors import InputError
from stagingqa.examplerepo import commit_known_bug, generate_autoqa_repository, git
from tests.examples.test_autoqa import WORLD


def test_history_is_deterministic(tmp_path):
    first = generate_autoqa_repository(tmp_path / "a")
    second = generate_autoqa_repository(tmp_path / "b")
    assert [c.sha for c in first] == [c.sha for c in second]
    assert [c.bug for c in first if c.bug] == ["upgradepath-string-compare", "depcheck-ignores-own-builds"]
    assert git(tmp_path / "a", "rev-parse", "--abbrev-ref", "HEAD") == "master"
    assert git(tmp_path / "a", "status", "--porcelain") == ""
    with pytest.raises(InputError, match="not empty"):
        generate_autoqa_repository(tmp_path / "a")


def run_revision(repo, sha, served, name, tmp_path, *args):
    """Run autoqa as it was at `sha` (its source first on sys.path) against world `name`."""
    checkout = tmp_path / sha[:8]
    subprocess.run(["git", "clone", "-q", str(repo), str(checkout)], check=True)
    subprocess.run(["git", "-C", str(checkout), "checkout", "-q", sha], check=True)
    root = f"{served}/w/{name}"
    env = {
        **os.environ,
        "PYTHONPATH": str(checkout),
        "AUTOQA_KOJI_URL": f"{root}/kojihub",
        "AUTOQA_KOJI_FILES_URL": f"{root}/kojifiles",
        "AUTOQA_BODHI_URL": f"{root}/bodhi/",
        "AUTOQA_RESULTSDB_URL": f"{root}/resultsdb/api/v2.0",
        "AUTOQA_STATE_FILE": str(checkout / "state.json"),
        "HOME": str(checkout),
    }
    return subprocess.run(
        [sys.executable, "-m", "autoqa.cli", "run", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "bug, check, alias",
    [
        ("upgradepath-string-compare", "upgradepath", "FEDORA-2024-0000000003"),
        ("depcheck-ignores-own-builds", "depcheck", "FEDORA-2024-0000000005"),
    ],
)
def test_bug_commits_fail_where_the_fix_passes(tmp_path, served, bug, check, alias):
    repo = tmp_path / "repo"
    commits = generate_autoqa_repository(repo)
    introduced = next(c for c in commits if c.bug == bug)
    outcomes = {}
    for label, sha in (("bug", introduced.sha), ("fixed", commits[-1].sha)):
        name = f"bug{label}{tmp_path.name[-12:]}"
        requests.put(f"{served}/_control/worlds/{name}", data=WORLD, timeout=60)
        done = run_revision(
            repo, sha, served, name, tmp_path, "--check", check, "--item", alias, "--type", "bodhi_update"
        )
        assert done.returncode == 0, done.stderr
        outcomes[label] = {
            line.split()[3].rstrip(":")
            for line in done.stdout.splitlines()
            if line.startswith(f"dist.{check}")
        }
        requests.delete(f"{served}/_control/worlds/{name}", timeout=10)
    assert outcomes == {"bug": {"FAILED"}, "fixed": {"PASSED"}}


def test_a_known_bug_can_be_committed_again(tmp_path):
    repo = tmp_path / "repo"
    commits = generate_autoqa_repository(repo)
    again = commit_known_bug(repo, "upgradepath-string-compare")
    assert (
        again.sha != commits[-1].sha and again.subject == "upgradepath: compare versions without rpm's rules"
    )
    assert "left > right" in (repo / "autoqa" / "checks" / "upgradepath.py").read_text()
    with pytest.raises(InputError, match="unknown bug"):
        commit_known_bug(repo, "nope")
