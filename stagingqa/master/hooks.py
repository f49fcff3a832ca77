"""Git hooks that ask the master to poll at once: a change builds in half a second instead of waiting for
the next poll (half the poll interval on average; 1.0-1.8 s from commit to build start with a 2 s poll).

Git runs a repository's `reference-transaction` hook on every branch update there: a commit, a push
received, a merge, a rebase or a reset. The hook written here posts to the master's poller change hook
(Buildbot's `change_hook/poller`), so the pollers fetch as they would on their own: no change is ever
reported twice, and the master still polls every `poll_interval` seconds when the hook cannot reach it."""

from __future__ import annotations

import shlex
import stat
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from stagingqa.errors import InputError
from stagingqa.master.settings import Settings, Watched

HOOK = "reference-transaction"
MARK = "# stagingqa master hook"  # only a hook carrying this line is ever replaced or removed


class Done(StrEnum):
    INSTALLED = "installed"
    REMOVED = "removed"
    ABSENT = "absent"  # nothing of ours to remove
    REMOTE = "remote"  # not a local repository: its forge's webhook is the way


@dataclass(frozen=True)
class HookResult:
    """What was done for one watched repository."""

    repository: str
    done: Done
    path: str  # the hook file, or the URL to give the forge's webhook

    def to_dict(self) -> dict[str, str]:
        return {"repository": self.repository, "done": str(self.done), "path": self.path}


def poll_url(settings: Settings) -> str:
    """The master's poller change hook: a POST makes every poller fetch now."""
    return f"{settings.www_url}change_hook/poller"


def hook_text(settings: Settings) -> str:
    """A POSIX shell hook: on a committed branch update, post to the master in the background (a commit
    never waits for it, and never fails because of it)."""
    post = (
        "import sys, urllib.request; "
        "urllib.request.urlopen(urllib.request.Request(sys.argv[1], b''), timeout=10)"
    )
    return "\n".join(
        [
            "#!/bin/sh",
            f"{MARK}: ask the Buildbot master at {settings.www_url} to poll now",
            f"# (it polls anyway every {settings.poll_interval} s); `master hook --remove` removes it.",
            '[ "$1" = committed ] || { cat >/dev/null; exit 0; }',
            "grep ' refs/heads/' >/dev/null || exit 0  # a branch moved (grep reads every line git writes)",
            f"{shlex.quote(sys.executable)} -c {shlex.quote(post)} {shlex.quote(poll_url(settings))} "
            ">/dev/null 2>&1 </dev/null &",
            "exit 0",
            "",
        ]
    )


def hook_path(repository: str) -> Path | None:
    """Where a local repository's hook goes (core.hooksPath and bare repositories included); None when
    `repository` is not a local Git repository."""
    if "://" in repository or not Path(repository).exists():
        return None
    found = subprocess.run(
        ["git", "-C", repository, "rev-parse", "--path-format=absolute", "--git-path", f"hooks/{HOOK}"],
        capture_output=True,
        text=True,
    )
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def install(settings: Settings, watched: list[Watched]) -> list[HookResult]:
    """Write the hook into every local watched repository; a hook of someone else's is never replaced."""
    results = []
    for repository in dict.fromkeys(w.repository for w in watched):
        path = hook_path(repository)
        if path is None:
            results.append(HookResult(repository, Done.REMOTE, poll_url(settings)))
            continue
        if path.exists() and MARK not in path.read_text(errors="replace"):
            raise InputError(
                f"{path}: a {HOOK} hook that stagingqa did not write is there; add this line to it instead:"
                f"\n  curl -s -X POST {poll_url(settings)} >/dev/null 2>&1 &"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hook_text(settings))
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        results.append(HookResult(repository, Done.INSTALLED, str(path)))
    return results


def remove(watched: list[Watched]) -> list[HookResult]:
    """Take our hook out of every local watched repository (anyone else's stays)."""
    results = []
    for repository in dict.fromkeys(w.repository for w in watched):
        path = hook_path(repository)
        if path is None:
            results.append(HookResult(repository, Done.REMOTE, ""))
        elif path.exists() and MARK in path.read_text(errors="replace"):
            path.unlink()
            results.append(HookResult(repository, Done.REMOVED, str(path)))
        else:
            results.append(HookResult(repository, Done.ABSENT, str(path)))
    return results
