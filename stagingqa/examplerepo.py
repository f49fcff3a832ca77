"""examples/autoqa as a git repository with a short, meaningful history: two known bugs, each introduced
by one commit and fixed by a later one (used by the demo, Buildbot and bisect tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stagingqa.errors import InputError

SOURCE = Path(__file__).resolve().parent.parent / "examples" / "autoqa"
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", "build", "dist", ".venv")
AUTHOR = {
    "GIT_AUTHOR_NAME": "AutoQA Developers",
    "GIT_AUTHOR_EMAIL": "autoqa@example.org",
    "GIT_COMMITTER_NAME": "AutoQA Developers",
    "GIT_COMMITTER_EMAIL": "autoqa@example.org",
}

STRING_COMPARE = """from autoqa.rpmvercmp import evr_compare
"""
STRING_COMPARE_BUG = """

def evr_compare(a, b):  # plain comparison: quicker than rpm's, and right for the versions we see
    left, right = (a[0] or 0, a[1], a[2]), (b[0] or 0, b[1], b[2])
    return (left > right) - (left < right)
"""
OWN_PROVIDES = """    own = _headers(services, target.builds, arch)
    for headers in own:
        _add_provides(provided, headers)
"""
OWN_PROVIDES_BUG = """    own = _headers(services, target.builds, arch)
"""


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    bug: str | None = None  # the known bug this commit introduces, if any


@dataclass(frozen=True)
class Step:
    subject: str
    change: Callable[[Path], None]
    bug: str | None = None


def _edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text()
        if old not in text:
            raise InputError(
                f"cannot build the example history: {relative} no longer contains the expected code"
            )
        path.write_text(text.replace(old, new, 1))

    return apply


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        with (root / relative).open("a") as handle:
            handle.write(text)

    return apply


STEPS = [
    Step(
        "README: say how to run the tests",
        _append(
            "README.md",
            "\nRun `pytest` in this folder for the unit tests; they fake HTTP with `responses`.\n",
        ),
    ),
    Step(
        "upgradepath: compare versions without rpm's rules",
        _edit("autoqa/checks/upgradepath.py", STRING_COMPARE, STRING_COMPARE_BUG.lstrip("\n") + "\n"),
        bug="upgradepath-string-compare",
    ),
    Step(
        "upgradepath: compare EVRs as rpm does (1.10 is newer than 1.9)",
        _edit("autoqa/checks/upgradepath.py", STRING_COMPARE_BUG.lstrip("\n") + "\n", STRING_COMPARE),
    ),
    Step(
        "depcheck: check each build against the repository alone",
        _edit("autoqa/checks/depcheck.py", OWN_PROVIDES, OWN_PROVIDES_BUG),
        bug="depcheck-ignores-own-builds",
    ),
    Step(
        "depcheck: builds of one update satisfy each other's requires",
        _edit("autoqa/checks/depcheck.py", OWN_PROVIDES_BUG, OWN_PROVIDES),
    ),
]


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **AUTHOR, **(env or {})},
    )
    if done.returncode != 0:
        raise InputError(f"git {' '.join(args)} failed in {repo}: {done.stderr.strip()}")
    return done.stdout.strip()


def commit(repo: Path, subject: str, when: int) -> str:
    stamp = f"{when} +0000"
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", subject, env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return git(repo, "rev-parse", "HEAD")


def generate_autoqa_repository(dest: Path, source: Path = SOURCE) -> list[Commit]:
    """Create `dest` (which must not exist, or be empty) as a repository whose master branch ends in today's
    examples/autoqa; returns its commits, oldest first."""
    if not (source / "pyproject.toml").exists():
        raise InputError(
            f"{source} is not the autoqa example (no pyproject.toml): run from a stagingqa checkout"
        )
    if dest.exists() and any(dest.iterdir()):
        raise InputError(f"{dest} exists and is not empty")
    if shutil.which("git") is None:
        raise InputError("git is not installed (Debian/Ubuntu: apt-get install git; Fedora: dnf install git)")
    dest.mkdir(parents=True, exist_ok=True)
    git(dest, "init", "-q", "-b", "master")
    shutil.copytree(source, dest, ignore=IGNORE, dirs_exist_ok=True)
    when = 1730451600  # 2024-11-01 09:00 UTC, an hour per commit: the same history every time
    commits = [
        Commit(
            commit(dest, "Import autoqa: upgradepath, depcheck and rpmlint-style checks", when),
            "Import autoqa: upgradepath, depcheck and rpmlint-style checks",
        )
    ]
    for n, step in enumerate(STEPS, 1):
        step.change(dest)
        commits.append(Commit(commit(dest, step.subject, when + 3600 * n), step.subject, step.bug))
    return commits


def commit_known_bug(repo: Path, bug: str, when: int | None = None) -> Commit:
    """Re-introduce a known bug as a new commit on top of `repo` (the demo's "a bad change lands")."""
    step = next((s for s in STEPS if s.bug == bug), None)
    if step is None:
        raise InputError(f"unknown bug {bug!r}; known: {', '.join(s.bug for s in STEPS if s.bug)}")
    step.change(repo)
    last = int(git(repo, "log", "-1", "--format=%ct"))
    return Commit(commit(repo, step.subject, when or last + 3600), step.subject, bug)
