"""Fixtures: a staging spec in a temporary folder, staging examples/autoqa, and a CLI runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import BASIC_WORLD, ROOT

CONSTRAINTS = ROOT / "constraints.txt"  # the versions bootstrap put in uv's cache: no build in a test

SPEC = """
name: autoqa
system:
  repository: {repository}
  branch: master
  install: {install}
  constraints: {constraints}
  check: autoqa --version
  environment:
    AUTOQA_KOJI_URL: "{{koji}}"
    AUTOQA_KOJI_FILES_URL: "{{kojifiles}}"
    AUTOQA_BODHI_URL: "{{bodhi}}"
    AUTOQA_RESULTSDB_URL: "{{resultsdb}}"
    AUTOQA_STATE_FILE: "{{home}}/state.json"
  triggers:
    bodhi_update: autoqa run --check {{check}} --item {{item}} --type bodhi_update
world: {world}
state: state
ttl: 1h
"""


def write_spec(folder: Path, repository: str = "example:autoqa", install: str | None = None) -> Path:
    commands = json.dumps([install] if install else ["uv pip install --quiet --python {python} {src}"])
    path = folder / "staging.yaml"
    text = SPEC.format(repository=repository, install=commands, world=BASIC_WORLD, constraints=CONSTRAINTS)
    path.write_text(text)
    return path


@pytest.fixture
def spec_path(tmp_path) -> Path:
    return write_spec(tmp_path)


def stagingqa(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def cli(spec_path):
    """Run a stagingqa command against the spec; `down --all` afterwards, whatever the test did."""

    def run(*args: str, spec: Path = spec_path) -> subprocess.CompletedProcess:
        return stagingqa(*args, "--spec", str(spec))

    yield run
    stagingqa("down", "--all", "--spec", str(spec_path))


def host(spec_path: Path) -> dict | None:
    path = spec_path.parent / "state" / "mockhost" / "host.json"
    return json.loads(path.read_text()) if path.exists() else None


def worlds(base: str) -> list[str]:
    return [w["name"] for w in requests.get(f"{base}/_control/worlds", timeout=5).json()]
