"""Bad input to the run, master and UI commands: a clear message and exit 2 (1 for a service down), never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.postgres import free_port


def stagingqa(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["runs", "show", "nosuch"], "no recorded run 'nosuch'"),
        (["runs", "show", "latest~3"], "no run 'latest~3': fewer runs are recorded"),
        (["runs", "diff", "a", "b"], "no recorded run 'a'"),
        (["reproduce", "nosuch"], "no recorded run 'nosuch'"),
        (["capture", "nosuch"], "'nosuch' is neither a recorded run nor a world on the mock host"),
        (["bisect", "--usecase", "nope", "--good", "a", "--bad", "b"], "no use case named 'nope'"),
        (["ui", "--host", "0.0.0.0"], "the results UI binds to loopback only"),
    ],
)
def test_bad_input_is_a_clear_error(staging_spec, args, message):
    done = stagingqa(*args, "--spec", str(staging_spec))
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_master_commands_when_no_master_runs(staging_spec):
    env = {**os.environ, "STAGINGQA_SPEC": str(staging_spec), "STAGINGQA_WWW_PORT": str(free_port())}
    status = stagingqa("master", "status", env=env)
    assert status.returncode == 1 and "master: not running" in status.stdout
    force = stagingqa("master", "force", env=env)
    assert force.returncode == 1 and "does not answer" in force.stderr and "Traceback" not in force.stderr
    assert stagingqa("master", "stop", env=env).stdout.strip() == "master: was not running"
    bad = stagingqa("master", "status", env={**env, "STAGINGQA_POLL_INTERVAL": "often"})
    assert bad.returncode == 2 and "STAGINGQA_POLL_INTERVAL: setting poll_interval must be int" in bad.stderr
