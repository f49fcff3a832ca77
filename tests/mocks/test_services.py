"""The service table is the only place a service is named: a toy fifth service needs nothing else."""

from __future__ import annotations

import json

from werkzeug.test import Client

from stagingqa.mocks.host import MockHost
from stagingqa.mocks.services import SERVICE_NAMES, SERVICES, Service
from stagingqa.mocks.store.database import Storage
from stagingqa.mocks.worlds import WorldRegistry
from stagingqa.spec import PLACEHOLDERS
from stagingqa.world import load_world
from tests.conftest import BASIC_WORLD


def toy_app(environ, start_response):
    """A fifth service in a package of its own: it answers how many builds its world has."""
    world = environ["stagingqa.world"]
    body = json.dumps({"world": world.name, "path": environ["PATH_INFO"], "builds": len(world.world.builds)})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]


def test_a_toy_fifth_service_needs_only_its_table_entry():
    toy = Service("toy", "toybox", lambda: toy_app, root="/api")
    registry = WorldRegistry(Storage("sqlite://"))
    world = load_world(BASIC_WORLD)
    registry.put(world.name, world)
    client = Client(MockHost(registry, [*SERVICES, toy]))
    try:
        [entry] = client.get("/_control/worlds", base_url="http://mocks.test").json
        assert entry["services"]["toy"] == f"http://mocks.test/w/{world.name}/toybox/api"
        assert set(entry["services"]) == {*SERVICE_NAMES, "toy"}
        rule = {"service": "toy", "path": "/broken", "respond": {"status": 418}}
        assert client.post(f"/_control/worlds/{world.name}/faults", json=rule).status_code == 201
        answer = client.get(f"/w/{world.name}/toybox/api/count")
        assert answer.json == {"world": world.name, "path": "/api/count", "builds": len(world.builds)}
        assert client.get(f"/w/{world.name}/toybox/api/broken").status_code == 418
        journal = client.get(f"/_control/worlds/{world.name}/journal?service=toy").json
        assert [(e["service"], e["path"], e["status"]) for e in journal] == [
            ("toy", "/count", 200),
            ("toy", "/broken", 418),
        ]
        assert journal[1]["fault"] == 1
    finally:
        registry.close()


def test_a_host_without_the_service_refuses_its_fault_rules(client):
    rule = {"service": "toy", "respond": {"status": 500}}
    refused = client.post("/_control/worlds/fedora-basic/faults", json=rule)
    assert (
        refused.status_code == 400
        and "service must be one of koji, kojifiles, bodhi" in refused.json["message"]
    )


def test_placeholders_and_world_urls_follow_the_table():
    assert set(SERVICE_NAMES) <= PLACEHOLDERS
    assert [s.url("http://h/w/x") for s in SERVICES] == [
        "http://h/w/x/kojihub",
        "http://h/w/x/kojifiles/",
        "http://h/w/x/bodhi/",
        "http://h/w/x/resultsdb/api/v2.0",
    ]
