"""Kill drills: the mock host killed with -9 in the middle of a verify. The use cases it takes with it are
errors that say so, the run is recorded (not left running), and the environment revives on the next
command; the results UI answers 503 with a message while the host is gone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from stagingqa.environment.processes import alive
from tests.conftest import ROOT, down_all, write_spec


def stagingqa(spec, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args, "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_mock_host_killed_mid_verify_is_recorded_and_revived(tmp_path):
    spec = write_spec(tmp_path)
    try:
        assert stagingqa(spec, "up", "--name", "k").returncode == 0
        host = json.loads((tmp_path / "state" / "mockhost" / "host.json").read_text())
        verify = subprocess.Popen(
            [sys.executable, "-m", "stagingqa", "verify", "--env", "k", "-j", "2", "--spec", str(spec)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs = tmp_path / "state" / "envs" / "k" / "runs"
        deadline = time.monotonic() + 120
        while not (runs.exists() and any(runs.iterdir())):  # use cases are running
            assert time.monotonic() < deadline and verify.poll() is None
            time.sleep(0.1)
        time.sleep(1.0)
        os.kill(host["pid"], signal.SIGKILL)
        out, err = verify.communicate(timeout=600)
        assert verify.returncode == 2, out + err  # errors, not failures
        assert "the mock host died during this use case" in out
        assert "Traceback" not in out + err
        recorded = json.loads(stagingqa(spec, "runs", "show", "latest", "--json").stdout)["data"]
        assert recorded["status"] == "error"
        errors = [u for u in recorded["usecases"] if u["status"] == "error"]
        assert errors and all("mock host" in (u["error"] or "") for u in errors)
        assert not alive(host["pid"])
        again = stagingqa(spec, "verify", "--env", "k", str(ROOT / "usecases" / "upgradepath-passes.yaml"))
        assert again.returncode == 0, again.stdout + again.stderr  # a new host, the world made again
    finally:
        down_all(spec)
