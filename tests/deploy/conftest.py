"""A spec staging a git repository of examples/autoqa that the tests branch, with two use cases."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stagingqa.examplerepo import generate_autoqa_repository
from tests.conftest import ROOT, down_all, write_spec

CASES = ["upgradepath-passes", "depcheck-satisfied-by-same-update"]


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def stagingqa(spec: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args, "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_deploy_spec(folder: Path, repo: Path, max_live: int = 5) -> Path:
    cases = folder / "cases"
    (cases / "worlds").mkdir(parents=True)
    shutil.copy(ROOT / "usecases" / "worlds" / "autoqa.yaml", cases / "worlds")
    for name in CASES:
        shutil.copy(ROOT / "usecases" / f"{name}.yaml", cases)
    spec = write_spec(folder, str(repo))
    text = spec.read_text().replace(f"usecases: {ROOT / 'usecases'}", f"usecases: {cases}")
    spec.write_text(text + f"deploy: {{max_live: {max_live}, ttl: 72h, jobs: 2}}\n")
    return spec


@pytest.fixture
def project(tmp_path):
    """(spec, repository): a repository with a branch feature/x one commit ahead of master."""
    repo = tmp_path / "autoqa"
    generate_autoqa_repository(repo)
    git(repo, "checkout", "-q", "-b", "feature/x")
    (repo / "NOTES").write_text("feature x\n")
    git(repo, "add", "NOTES")
    git(repo, "commit", "-q", "-m", "feature x")
    git(repo, "checkout", "-q", "master")
    spec = write_deploy_spec(tmp_path, repo)
    yield spec, repo
    down_all(spec)


def push_branch(repo: Path, branch: str, text: str, new: bool = False) -> str:
    """Commit `text` to NOTES on `branch` (made from master when `new`), back on master; the commit."""
    git(repo, "checkout", "-q", *(["-b"] if new else []), branch)
    (repo / "NOTES").write_text(text)
    git(repo, "add", "NOTES")
    git(repo, "commit", "-q", "-m", text.strip())
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "master")
    return head
