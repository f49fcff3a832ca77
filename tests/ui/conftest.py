"""A recorded run for the results UI: a real verify of examples/autoqa at the revision with the depcheck
bug, including a use case in which a packager's comment carries a <script> tag; and the UI serving it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stagingqa.runs.records import RunRecord
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import ROOT, down_all, write_spec

SCRIPT_COMMENT = "<script>window.hacked = true; alert('x')</script> looks fine to me"

COMMENT_SCRIPT = """
import os, sys, tempfile
from bodhi.client.bindings import BodhiClient
url = os.environ["AUTOQA_BODHI_URL"]
client = BodhiClient(base_url=url, id_provider=url + "openidc/as/packager1",
                     oidc_storage_path=os.path.join(tempfile.mkdtemp(), "token.json"))
client.comment(sys.argv[1], sys.argv[2])
"""


@pytest.fixture(scope="session")
def recorded(tmp_path_factory) -> Iterator[tuple[Path, RunRecord]]:
    folder = tmp_path_factory.mktemp("ui")
    spec = write_spec(folder)
    cases = folder / "cases"
    cases.mkdir()
    (cases / "comment.py").write_text(COMMENT_SCRIPT)
    (cases / "packager-comment.yaml").write_text(
        "name: packager-comment\n"
        f"world: {{base: {ROOT / 'usecases/worlds/autoqa.yaml'}}}\n"
        "steps:\n"
        f'  - command: python {{usecase_dir}}/comment.py FEDORA-2024-0000000001 "{SCRIPT_COMMENT}"\n'
        "expect:\n"
        "  comments: [{user: packager1, text: '<script>'}]\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "stagingqa",
            "verify",
            "--spec",
            str(spec),
            "--ref",
            "master~1",
            "-j",
            "3",
            str(ROOT / "usecases/depcheck-satisfied-by-same-update.yaml"),
            str(ROOT / "usecases/upgradepath-passes.yaml"),
            str(ROOT / "usecases/watch-once-picks-new-items.yaml"),
            str(cases / "packager-comment.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    yield spec, open_store(load_spec(spec)).get("latest")
    down_all(spec)


@pytest.fixture(scope="session")
def ui(recorded) -> Iterator[str]:
    spec, _ = recorded
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stagingqa",
            "ui",
            "--spec",
            str(spec),
            "--port",
            "0",
            "--buildbot-url",
            "http://127.0.0.1:8010/",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    assert line.startswith("ui: "), line
    yield line.removeprefix("ui: ")
    proc.terminate()
    proc.wait(timeout=15)
