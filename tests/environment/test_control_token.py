"""The control token end to end: a mock host bound off loopback (0.0.0.0, reached through 127.0.0.1)
refuses the control API without the token; every client of the manager sends it (environments, the
verifier, the run records, the UI), and it is never written down."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import requests

from tests.conftest import ROOT
from tests.environment.conftest import write_spec

TOKEN = "s3cret-token-for-the-test"
CASE = str(ROOT / "usecases" / "upgradepath-passes.yaml")


def run(spec, *args: str, token: str | None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "STAGINGQA_CONTROL_TOKEN"}
    if token:
        environ["STAGINGQA_CONTROL_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args, "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        env=environ,
    )


def test_a_host_off_loopback_needs_the_token_and_every_client_sends_it(tmp_path):
    spec = write_spec(tmp_path)
    spec.write_text(
        spec.read_text() + "mocks: {host: 0.0.0.0}\nruns: {database: 'sqlite:///{state}/runs.sqlite'}\n"
    )
    refused = run(spec, "up", "--name", "t", token=None)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "refusing to serve the control API on 0.0.0.0 without a token" in refused.stderr
    try:
        made = run(spec, "up", "--name", "t", "--json", token=TOKEN)
        assert made.returncode == 0, made.stderr
        env = json.loads(made.stdout)["data"]
        base = env["urls"]["koji"].split("/w/")[0].replace("0.0.0.0", "127.0.0.1")
        assert requests.get(f"{base}/_control/worlds", timeout=10).status_code == 401
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert requests.get(f"{base}/_control/worlds", headers=headers, timeout=10).status_code == 200
        verified = run(spec, "verify", "--env", "t", CASE, token=TOKEN)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert run(spec, "verify", "--env", "t", CASE, token=None).returncode != 0
        # the system under test never sees it, and nothing the manager writes holds it
        seen = run(spec, "shell", "t", "-c", "env", token=TOKEN).stdout
        assert TOKEN not in seen and "AUTOQA_KOJI_URL" in seen
        for path in (tmp_path / "state").rglob("*"):
            if path.is_file():
                assert TOKEN.encode() not in path.read_bytes(), path
    finally:
        run(spec, "down", "--all", token=TOKEN)


def test_a_token_in_the_spec_is_used_and_not_recorded(tmp_path):
    spec = write_spec(tmp_path)
    spec.write_text(
        spec.read_text()
        + f"mocks: {{host: 0.0.0.0, token: {TOKEN}}}\nruns: {{database: 'sqlite:///{{state}}/runs.sqlite'}}\n"
    )
    try:
        made = run(spec, "up", "--name", "s", token=None)
        assert made.returncode == 0, made.stderr
        assert run(spec, "verify", "--env", "s", CASE, token=None).returncode == 0
        shown = run(spec, "runs", "show", "latest", "--json", token=None)
        assert TOKEN not in shown.stdout
        for path in (tmp_path / "state").rglob("*"):
            if path.is_file():
                assert TOKEN.encode() not in path.read_bytes(), path
    finally:
        run(spec, "down", "--all", token=None)
