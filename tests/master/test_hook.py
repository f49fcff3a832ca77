"""`stagingqa master hook`: the Git hook posts to the master's poller hook when a branch moves (a commit, a
push received into a bare repository), not for a tag; someone else's hook is never replaced; --remove
takes only ours. Against a real master polling every 600 s, a commit builds within seconds."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from stagingqa.demo import wait_for_build_of
from stagingqa.errors import InputError
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control, hooks
from stagingqa.master.settings import Settings, Watched, settings_environment
from tests.conftest import ROOT, down_all
from tests.master.test_buildbot import Master, git, make_settings, wait_first_poll


class Posts(BaseHTTPRequestHandler):
    """Counts the POSTs a hook makes, by path."""

    seen: list[str] = []

    def do_POST(self) -> None:
        Posts.seen.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener():
    server = HTTPServer(("127.0.0.1", 0), Posts)
    Posts.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def posts_after(action, expected: int, timeout: float = 10) -> list[str]:
    """Run `action`, then wait (the hook posts in the background) until `expected` posts came."""
    before = len(Posts.seen)
    action()
    deadline = time.monotonic() + timeout
    while len(Posts.seen) - before < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3 if expected == 0 else 0)  # a post that should not come has had its chance
    return Posts.seen[before:]


def test_the_hook_posts_when_a_branch_moves_and_not_for_a_tag(tmp_path, listener):
    repo, bare = tmp_path / "work", tmp_path / "served.git"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    settings = Settings(www_port=listener, poll_interval=600)
    watched = [Watched("a", str(repo), "main"), Watched("b", str(bare), "main")]
    done = hooks.install(settings, watched)
    assert [r.done for r in done] == [hooks.Done.INSTALLED] * 2
    assert Path(done[1].path) == bare / "hooks" / "reference-transaction"
    (repo / "f").write_text("1\n")
    git(repo, "add", "f")
    assert posts_after(lambda: git(repo, "commit", "-q", "-m", "one"), 1) == ["/change_hook/poller"]
    assert posts_after(lambda: git(repo, "tag", "v1"), 0) == []
    # a push: the bare repository's hook posts (the working one's too: its remote-tracking ref is no branch)
    git(repo, "remote", "add", "origin", str(bare))
    assert posts_after(lambda: git(repo, "push", "-q", "origin", "main"), 1) == ["/change_hook/poller"]
    assert [r.done for r in hooks.remove(watched)] == [hooks.Done.REMOVED] * 2
    assert posts_after(lambda: git(repo, "commit", "-q", "--allow-empty", "-m", "two"), 0) == []
    assert [r.done for r in hooks.remove(watched)] == [hooks.Done.ABSENT] * 2


def test_someone_elses_hook_stays_and_a_remote_repository_gets_the_webhook_url(tmp_path):
    repo = tmp_path / "work"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    theirs = repo / ".git" / "hooks" / "reference-transaction"
    theirs.write_text("#!/bin/sh\necho theirs\n")
    settings = Settings(www_port=8011)
    with pytest.raises(InputError, match=r"reference-transaction hook that stagingqa did not write"):
        hooks.install(settings, [Watched("a", str(repo), "master")])
    assert theirs.read_text() == "#!/bin/sh\necho theirs\n"
    assert hooks.remove([Watched("a", str(repo), "master")])[0].done == hooks.Done.ABSENT
    [remote] = hooks.install(settings, [Watched("a", "https://pagure.io/autoqa.git", "master")])
    assert remote.done == hooks.Done.REMOTE and remote.path == "http://127.0.0.1:8011/change_hook/poller"


def test_a_commit_builds_within_seconds_although_the_master_polls_every_ten_minutes(tmp_path):
    repo = tmp_path / "autoqa"
    commits = generate_autoqa_repository(repo)
    settings = make_settings(
        tmp_path, repo, poll_interval=600, usecases=[str(ROOT / "usecases" / "comment-format-and-karma.yaml")]
    )
    environ = {**settings_environment(settings), "PATH": "/usr/bin:/bin"}
    installed = subprocess.run(
        [sys.executable, "-m", "stagingqa", "master", "hook"], capture_output=True, text=True, env=environ
    )
    assert installed.returncode == 0, installed.stderr
    assert f"{repo}: hook installed" in installed.stdout
    control.start(settings)
    try:
        master = Master(settings, repo, commits)
        wait_first_poll(master)
        (repo / "NOTES").write_text("built at once\n")
        git(repo, "add", "NOTES")
        committed = time.time()
        git(repo, "commit", "-q", "-m", "notes")
        build = wait_for_build_of(master, git(repo, "rev-parse", "HEAD"), timeout=120)
        assert build["results"] == 0, build["state_string"]
        assert build["started_at"] - committed < 15  # seconds; the next poll was ten minutes away
    finally:
        control.stop(settings)
        down_all(Path(settings.spec))
