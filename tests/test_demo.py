"""`stagingqa demo --once`, the README's main job, from scratch in a temporary state folder."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, down_all, write_spec


def test_demo_once_builds_master_prints_the_verdicts_and_stops_everything(tmp_path):
    spec = write_spec(tmp_path)
    cases = [
        str(ROOT / "usecases" / f"{n}.yaml") for n in ("upgradepath-passes", "depcheck-missing-requires")
    ]
    environ = {**os.environ, "STAGINGQA_USECASES": repr(cases)}
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "stagingqa",
                "demo",
                "--once",
                "--spec",
                str(spec),
                "--www-port",
                "0",
                "--ui-port",
                "0",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env=environ,
        )
    finally:
        down_all(tmp_path / "state" / "demo" / "staging.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "buildbot:   http://127.0.0.1:" in out and "results UI: http://127.0.0.1:" in out
    assert "build #1 of " in out and ": success" in out
    assert "  PASSED   upgradepath-passes" in out and "  2 passed, 0 failed, 0 errors" in out
    basedir = tmp_path / "state" / "demo" / "state" / "master"
    left = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout.split()
    assert left == [], f"processes left: {left}"
    assert not (basedir / "twistd.pid").exists()
