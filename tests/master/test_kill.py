"""A kill drill: the Buildbot master killed with -9 in the middle of a build. Started again, it ends the
verify its dead worker left running (recorded as interrupted) and removes that build's environment;
the next build runs and passes; nothing is left behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from stagingqa.environment.processes import alive
from stagingqa.environment.state import all_states
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import down_all
from tests.master.test_buildbot import make_settings


def test_a_master_killed_mid_build_restarts_cleans_up_and_builds_again(tmp_path):
    repo = tmp_path / "autoqa"
    generate_autoqa_repository(repo)
    settings = make_settings(tmp_path, repo, poll_interval=600)  # builds only when forced
    spec = load_spec(Path(settings.spec))
    store = open_store(spec)
    try:
        master_pid = control.start(settings).pid
        control.force(settings)
        deadline = time.monotonic() + 300
        while not store.running("buildbot"):  # the build is verifying
            assert time.monotonic() < deadline, "the build never reached its verify step"
            time.sleep(0.2)
        [(run_id, verify_pid)] = store.running("buildbot")
        os.kill(master_pid, signal.SIGKILL)
        time.sleep(1)
        orphans = [folder.name for folder, _ in all_states(spec.state_dir) if folder.name.startswith("bb-")]
        assert orphans
        control.start(settings)
        assert not alive(verify_pid)
        assert store.get(run_id).status == "interrupted"
        assert not [f for f, _ in all_states(spec.state_dir) if f.name in orphans]
        build = control.wait_build(settings, control.force(settings))
        assert build["results"] == 0, build["state_string"]
        assert not [f for f, _ in all_states(spec.state_dir) if f.name.startswith("bb-")]  # taken down
    finally:
        control.stop(settings)
        down_all(Path(settings.spec))
