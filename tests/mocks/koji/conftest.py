"""Fixtures for the Koji hub: a world written for these tests, a client session, a CLI config."""

from __future__ import annotations

import time
from collections.abc import Iterator

import koji
import pytest
import requests

from tests.conftest import RESOURCES

KOJI_WORLD = (RESOURCES / "worlds" / "koji.yaml").read_bytes()


@pytest.fixture
def kworld(served) -> Iterator[dict[str, str]]:
    """A fresh copy of the Koji test world: its hub URL, topurl, base and name."""
    name = f"koji{time.monotonic_ns()}"
    assert requests.put(f"{served}/_control/worlds/{name}", data=KOJI_WORLD, timeout=30).status_code == 201
    yield {
        "hub": f"{served}/w/{name}/kojihub",
        "topurl": f"{served}/w/{name}/kojifiles",
        "base": served,
        "name": name,
    }
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


@pytest.fixture
def hub(kworld) -> koji.ClientSession:
    return koji.ClientSession(kworld["hub"])
