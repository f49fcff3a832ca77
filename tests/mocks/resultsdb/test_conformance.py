"""Replay the pairs recorded from the real ResultsDB against a fresh world, on both storage back ends."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests

from tests.conftest import ROOT
from tests.mocks.resultsdb.conftest import new_world

TOOL = ROOT.parent / "shared" / "tools" / "conformance.py"
CORPUS = ROOT.parent / "shared" / "conformance" / "resultsdb" / "corpus.json"


@pytest.mark.parametrize("backend", ["served", "served_postgres"])
def test_recorded_corpus_matches(backend, request, tmp_path):
    if not TOOL.exists():
        pytest.fail(f"{TOOL} is missing: the shared/ folder must sit beside the repository")
    base = request.getfixturevalue(backend)
    name = new_world(base, "name: conformance\n")
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            str(TOOL),
            f"{base}/w/{name}/resultsdb/api/v2.0",
            str(CORPUS),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    requests.delete(f"{base}/_control/worlds/{name}", timeout=10)
    assert done.returncode == 0, done.stdout[-4000:]
    assert " 0 differ" in done.stdout
    checked = [entry for entry in json.loads(report.read_text()) if entry["checked"]]
    assert len(checked) >= 90 and not any(entry["problems"] for entry in checked)
