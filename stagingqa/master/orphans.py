"""What a master killed in the middle of a build leaves behind (its LocalWorker's steps live on without
it: a verify still running, the build's environment never taken down), cleaned up before it starts
again. No build runs then, so every build environment is an orphan."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from stagingqa.environment import lifecycle
from stagingqa.environment.processes import alive
from stagingqa.environment.state import all_states
from stagingqa.master.settings import Settings
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec

BUILD_ENVIRONMENTS = "bb-"  # the verify builder's environments: bb-<builder>-<build number>
GRACE = 10  # seconds a verify gets to record itself as interrupted


def clean_orphans(settings: Settings) -> list[str]:
    """End the verify runs and remove the build environments a dead master left; their names."""
    spec = load_spec(Path(settings.spec))
    store = open_store(spec)
    for _run, pid in store.running("buildbot"):
        _terminate(pid)  # SIGTERM: the run is recorded as interrupted
    names = []
    for folder, state in all_states(spec.state_dir):
        if folder.name.startswith(BUILD_ENVIRONMENTS):
            if state is not None and state.owner_pid and alive(state.owner_pid):
                _terminate(state.owner_pid)  # an `up` cut off with its build
            names.append(folder.name)
    if names:
        lifecycle.down(spec, names, stop_host=False)
    store.mark_abandoned()
    return names


def _terminate(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + GRACE
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
