"""Fixtures: world files, in-process hosts, a served mock host and a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from werkzeug.test import Client

from stagingqa.mocks.serve import build_host
from stagingqa.world import load_world
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().parent / "resources"
BASIC_WORLD = ROOT / "examples" / "worlds" / "fedora-basic.yaml"


@pytest.fixture
def basic_world_path() -> Path:
    return BASIC_WORLD


@pytest.fixture
def host():
    """An in-process mock host with the basic world loaded (and served at the root)."""
    app = build_host([load_world(BASIC_WORLD)])
    yield app
    app.registry.close()


@pytest.fixture
def client(host) -> Client:
    return Client(host)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server started for this test session (Debian's or Fedora's binaries)."""
    server = PostgresServer.find()
    if server is None:
        if os.environ.get("STAGINGQA_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/bootstrap test")
        pytest.skip("PostgreSQL server binaries not found")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Each storage test runs on both back ends."""
    if request.param == "sqlite":
        return "sqlite://"
    return request.getfixturevalue("postgres").url


def start_served_host(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """Run `stagingqa mocks serve` as a real process and wait for its ready file."""
    ready = tmp_path / f"ready-{time.monotonic_ns()}.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "stagingqa", "mocks", "serve", "--ready-file", str(ready), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not ready.exists():
        if proc.poll() is not None:
            raise RuntimeError(f"mock host exited {proc.returncode}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("mock host did not become ready")
        time.sleep(0.02)
    return proc, json.loads(ready.read_text())["base"]


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> Iterator[str]:
    """The base URL of a real mock host process serving the basic world, shared by the session."""
    proc, base = start_served_host(tmp_path_factory.mktemp("served"), "--world", str(BASIC_WORLD))
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def fresh_world(served) -> Iterator[tuple[str, str]]:
    """A new world (a copy of the basic one) on the served host; yields (base, name), deleted afterwards."""
    name = f"t{time.monotonic_ns()}"
    response = requests.put(f"{served}/_control/worlds/{name}", data=BASIC_WORLD.read_bytes(), timeout=10)
    assert response.status_code == 201, response.text
    yield served, name
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


def write_spec(folder: Path, repository: str = "example:autoqa") -> Path:
    """The repository's staging.yaml with absolute paths and its state (environments, run records) in
    `folder`."""
    text = (ROOT / "staging.yaml").read_text()
    text = text.replace("repository: example:autoqa", f"repository: {repository}")
    text = text.replace("world: examples/worlds/fedora-basic.yaml", f"world: {BASIC_WORLD}")
    text = text.replace("usecases: usecases", f"usecases: {ROOT / 'usecases'}")
    text = text.replace("state: .stagingqa", f"state: {folder / 'state'}")
    text = text.replace("constraints: constraints.txt", f"constraints: {ROOT / 'constraints.txt'}")
    path = folder / "staging.yaml"
    path.write_text(text)
    return path


def down_all(spec: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "stagingqa", "down", "--all", "--spec", str(spec)], capture_output=True
    )


@pytest.fixture
def staging_spec(tmp_path) -> Iterator[Path]:
    """The repository's staging.yaml with its state under tmp_path."""
    path = write_spec(tmp_path)
    yield path
    down_all(path)
