"""Fixtures for the mock Bodhi: a fresh copy of the test world and real bodhi-client instances."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import requests
from bodhi.client.bindings import BodhiClient

from tests.conftest import RESOURCES

BODHI_WORLD = (RESOURCES / "worlds" / "bodhi.yaml").read_bytes()


@pytest.fixture
def bworld(served) -> Iterator[dict[str, str]]:
    name = f"bodhi{time.monotonic_ns()}"
    assert requests.put(f"{served}/_control/worlds/{name}", data=BODHI_WORLD, timeout=30).status_code == 201
    yield {
        "url": f"{served}/w/{name}/bodhi/",
        "base": served,
        "name": name,
        "hub": f"{served}/w/{name}/kojihub",
    }
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


@pytest.fixture
def client_as(bworld, tmp_path) -> Callable[[str | None], BodhiClient]:
    """A BodhiClient logged in (on first write) as `user`, or as the world's default user for None."""

    def make(user: str | None = None) -> BodhiClient:
        idp = bworld["url"] + ("openidc" if user is None else f"openidc/as/{user}")
        return BodhiClient(
            base_url=bworld["url"], id_provider=idp, oidc_storage_path=str(tmp_path / f"{user}.json")
        )

    return make


def journal(bworld, service="bodhi"):
    return requests.get(
        f"{bworld['base']}/_control/worlds/{bworld['name']}/journal?service={service}", timeout=5
    ).json()
