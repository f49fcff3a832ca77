"""Fetches into one clone at the same time (a deploy's upgrade and the deploy collector's check of the
same environment) wait for each other instead of failing on Git's ref locks."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from stagingqa.environment import install
from stagingqa.errors import InputError


def git(*args: str) -> str:
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def test_fetches_into_one_clone_at_once_all_succeed(tmp_path: Path):
    origin, src = tmp_path / "origin", tmp_path / "src"
    git("init", "-q", "-b", "main", str(origin))
    git("-C", str(origin), "commit", "-q", "--allow-empty", "-m", "0")
    git("clone", "-q", str(origin), str(src))
    for round_ in range(3):  # without the lock, every round failed here
        git("-C", str(origin), "commit", "-q", "--allow-empty", "-m", str(round_ + 1))
        head = git("-C", str(origin), "rev-parse", "HEAD")
        failures: list[str] = []

        def fetch() -> None:
            try:
                install.fetch(src)
            except InputError as exc:
                failures.append(exc.message)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
        assert git("-C", str(src), "rev-parse", "origin/main") == head
    assert git("-C", str(src), "status", "--porcelain", "--untracked-files=all") == ""  # the lock is in .git
