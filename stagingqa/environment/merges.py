"""Merge results, as CI tests a pull request: `HEAD+BASE` checks out HEAD merged into BASE. The merge
commit is made with a fixed author, committer, message and dates, so the same two commits give the same
commit id anywhere: a run of a merge result can be reproduced from its two parents."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from stagingqa.environment import install
from stagingqa.errors import InputError

SEPARATOR = "+"
GIT_MERGE = ["git", "-c", "commit.gpgsign=false"]  # a user's signing config would make the id differ
IDENTITY = {"name": "stagingqa", "email": "stagingqa@localhost"}


def split(src: Path, ref: str) -> tuple[str, str] | None:
    """(head, base) commit ids when `ref` is HEAD+BASE and is not itself a ref of the clone ('+' is
    allowed in branch names), else None; a part that is not found is an InputError."""
    if SEPARATOR not in ref or install.resolve_commit(src, ref) is not None:
        return None
    head_ref, base_ref = ref.rsplit(SEPARATOR, 1)
    parts = [(part, install.resolve_commit(src, part)) for part in (head_ref, base_ref)]
    missing = [part for part, sha in parts if sha is None]
    if missing:
        raise InputError(f"revision {missing[0]!r} not found (in the merge {ref!r})")
    return parts[0][1] or "", parts[1][1] or ""


def merge(src: Path, head: str, base: str, label: str) -> str:
    """Check out `head` merged into `base` in the clone `src`, detached; the resulting commit: `head`
    itself when it already contains `base`, `base` when `head` was merged already, else a merge commit."""
    if _is_ancestor(src, base, head):
        return _detach(src, head)
    if _is_ancestor(src, head, base):
        return _detach(src, base)
    _detach(src, base)
    message = f"Merge {head} into {base}"
    done = subprocess.run(
        [*GIT_MERGE, "-C", str(src), "merge", "--no-ff", "--no-log", "--no-verify", "-m", message, head],
        capture_output=True,
        text=True,
        env={**os.environ, **_fixed_identity(src, head, base)},
    )
    if done.returncode != 0:
        conflicts = install.run_git("-C", str(src), "diff", "--name-only", "--diff-filter=U").stdout.split()
        install.run_git("-C", str(src), "merge", "--abort")
        why = f"conflicts in {', '.join(conflicts)}" if conflicts else done.stderr.strip()[-500:]
        raise InputError(f"{label} does not merge cleanly: {why}")
    return install.run_git("-C", str(src), "rev-parse", "HEAD").stdout.strip()


def _fixed_identity(src: Path, head: str, base: str) -> dict[str, str]:
    """Author and committer fixed, dated at the later parent's commit time: a reproducible commit id."""
    times = install.run_git("-C", str(src), "show", "-s", "--format=%ct", head, base).stdout.split()
    date = f"{max(int(t) for t in times)} +0000"
    environ = {"GIT_TERMINAL_PROMPT": "0"}
    for who in ("AUTHOR", "COMMITTER"):
        environ |= {f"GIT_{who}_NAME": IDENTITY["name"], f"GIT_{who}_EMAIL": IDENTITY["email"]}
        environ[f"GIT_{who}_DATE"] = date
    return environ


def _is_ancestor(src: Path, older: str, newer: str) -> bool:
    return install.run_git("-C", str(src), "merge-base", "--is-ancestor", older, newer).returncode == 0


def _detach(src: Path, sha: str) -> str:
    moved = install.run_git("-C", str(src), "checkout", "--quiet", "--detach", sha)
    if moved.returncode != 0:
        raise InputError(f"cannot check out {sha}: {moved.stderr.strip()}")
    return sha
