"""Fixtures for the mock ResultsDB: empty worlds on served hosts (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import start_served_host

EMPTY_WORLD = "name: empty\n"


def new_world(base: str, text: str = EMPTY_WORLD) -> str:
    name = f"rdb{time.monotonic_ns()}"
    response = requests.put(f"{base}/_control/worlds/{name}", data=text.encode(), timeout=10)
    assert response.status_code == 201, response.text
    return name


@pytest.fixture(scope="session")
def served_postgres(tmp_path_factory, postgres) -> Iterator[str]:
    """A mock host process storing its worlds on the session's PostgreSQL server."""
    proc, base = start_served_host(tmp_path_factory.mktemp("served-pg"), "--db", postgres.url)
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def rdb(served) -> Iterator[str]:
    """The ResultsDB API root of a new empty world."""
    name = new_world(served)
    yield f"{served}/w/{name}/resultsdb/api/v2.0"
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


@pytest.fixture
def rdb_world(served) -> Iterator[tuple[str, str]]:
    """(host base, world name) of a new empty world, for tests that also use the control API."""
    name = new_world(served)
    yield served, name
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)
