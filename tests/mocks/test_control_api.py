"""The control API: worlds, reset, export, journal and faults, driven through the WSGI app."""

from __future__ import annotations

import json

import yaml
from werkzeug.test import Client

from stagingqa.mocks.serve import build_host
from tests.conftest import BASIC_WORLD


def put(client, name, text, content_type="application/yaml"):
    return client.put(f"/_control/worlds/{name}", data=text, content_type=content_type)


def test_health_counts_worlds(client):
    assert client.get("/_control/health").json == {"status": "ok", "worlds": 1}


def test_worlds_list_absolute_service_urls(client):
    [entry] = client.get("/_control/worlds", base_url="http://mocks.example:8080").json
    assert entry["name"] == "fedora-basic"
    assert entry["services"] == {
        "koji": "http://mocks.example:8080/w/fedora-basic/kojihub",
        "kojifiles": "http://mocks.example:8080/w/fedora-basic/kojifiles/",
        "bodhi": "http://mocks.example:8080/w/fedora-basic/bodhi/",
        "resultsdb": "http://mocks.example:8080/w/fedora-basic/resultsdb/api/v2.0",
    }


def test_put_creates_a_world_from_yaml_or_json(client):
    doc = yaml.safe_load(BASIC_WORLD.read_text())
    assert put(client, "copy", BASIC_WORLD.read_text()).status_code == 201
    response = put(client, "copy-json", json.dumps(doc, default=str), "application/json")
    assert response.status_code == 201 and response.json["name"] == "copy-json"
    assert client.get("/_control/health").json["worlds"] == 3


def test_put_invalid_world_lists_every_problem_and_keeps_the_old_one(client):
    before = client.get("/_control/worlds/fedora-basic/export").json
    response = put(
        client, "fedora-basic", "name: x\nbuilds:\n  - nvr: a-1-1\n    tags: [nowhere]\n    bogus: 1\n"
    )
    assert response.status_code == 400
    problems = response.json["problems"]
    assert {(p["line"], p["path"]) for p in problems} == {(5, "builds[0].bogus")}
    assert client.get("/_control/worlds/fedora-basic/export").json == before


def test_put_rejects_bad_yaml_and_bad_names(client):
    response = put(client, "w", "name: [oops")
    assert response.status_code == 400 and "not valid YAML" in response.json["problems"][0]["message"]
    assert put(client, "bad name", "name: w\n").status_code in (400, 404)
    assert put(client, "w", "").status_code == 400


def test_unknown_world_is_404_everywhere(client):
    for method, path in [
        ("GET", "/w/nope/bodhi/updates/"),
        ("POST", "/w/nope/kojihub"),
        ("GET", "/_control/worlds/nope/export"),
        ("GET", "/_control/worlds/nope/journal"),
        ("POST", "/_control/worlds/nope/reset"),
        ("DELETE", "/_control/worlds/nope"),
        ("POST", "/_control/worlds/nope/faults"),
        ("GET", "/w/nope/resultsdb/api/v2.0"),
    ]:
        assert client.open(path, method=method).status_code == 404, (method, path)


def test_delete_removes_the_world(client):
    put(client, "gone", BASIC_WORLD.read_text())
    assert client.delete("/_control/worlds/gone").status_code == 204
    assert client.get("/w/gone/bodhi/").status_code == 404


def test_export_round_trips(client):
    exported = client.get("/_control/worlds/fedora-basic/export").json
    assert put(client, "again", json.dumps(exported), "application/json").status_code == 201
    again = client.get("/_control/worlds/again/export").json
    exported["name"] = again["name"] = "same"
    assert again == exported


def test_export_as_yaml(client):
    response = client.get("/_control/worlds/fedora-basic/export", headers={"Accept": "application/yaml"})
    assert response.mimetype == "application/yaml"
    assert yaml.safe_load(response.get_data(as_text=True))["name"] == "fedora-basic"


def test_journal_lists_requests_in_order_with_filters(client):
    client.get("/w/fedora-basic/bodhi/updates/?page=2")
    client.post("/w/fedora-basic/resultsdb/api/v2.0/results", json={"outcome": "PASSED"})
    client.get("/kojifiles/packages/htop/")
    entries = client.get("/_control/worlds/fedora-basic/journal").json
    assert [(e["seq"], e["service"], e["method"], e["path"]) for e in entries] == [
        (1, "bodhi", "GET", "/updates/"),
        (2, "resultsdb", "POST", "/results"),
        (3, "kojifiles", "GET", "/packages/htop/"),
    ]
    assert entries[0]["query"] == "page=2"
    assert entries[1]["request"] == {"outcome": "PASSED"}
    assert set(entries[0]) >= {
        "seq",
        "time",
        "service",
        "method",
        "path",
        "query",
        "status",
        "duration_ms",
        "request",
        "response",
    }
    only = client.get("/_control/worlds/fedora-basic/journal?service=resultsdb").json
    assert [e["seq"] for e in only] == [2]
    assert [e["seq"] for e in client.get("/_control/worlds/fedora-basic/journal?since=2").json] == [3]
    assert client.get("/_control/worlds/fedora-basic/journal?service=nope").status_code == 400
    assert client.get("/_control/worlds/fedora-basic/journal?since=x").status_code == 400


def test_control_requests_are_not_journaled(client):
    client.get("/_control/health")
    client.get("/_control/worlds")
    assert client.get("/_control/worlds/fedora-basic/journal").json == []


def test_fault_fires_the_set_number_of_times(client):
    rule = {
        "service": "bodhi",
        "method": "GET",
        "path": "/updates/*",
        "respond": {"status": 503, "body": {"message": "down"}},
        "times": 2,
    }
    created = client.post("/_control/worlds/fedora-basic/faults", json=rule)
    assert created.status_code == 201
    statuses = [client.get("/w/fedora-basic/bodhi/updates/x").status_code for _ in range(3)]
    assert statuses[:2] == [503, 503] and statuses[2] != 503
    assert client.get("/w/fedora-basic/bodhi/updates/x").status_code != 503
    [listed] = client.get("/_control/worlds/fedora-basic/faults").json
    assert listed["fired"] == 2 and listed["remaining"] == 0
    entries = client.get("/_control/worlds/fedora-basic/journal").json
    assert [e.get("fault") for e in entries] == [created.json["id"], created.json["id"], None, None]


def test_fault_matches_method_and_path(client):
    client.post(
        "/_control/worlds/fedora-basic/faults",
        json={
            "service": "resultsdb",
            "method": "POST",
            "path": "/results",
            "respond": {"status": 502},
            "times": None,
        },
    )
    assert client.get("/w/fedora-basic/resultsdb/api/v2.0/results").status_code != 502
    assert client.post("/w/fedora-basic/resultsdb/api/v2.0/results", json={}).status_code == 502
    assert client.post("/w/fedora-basic/resultsdb/api/v2.0/results", json={}).status_code == 502


def test_fault_delay_only_still_answers_normally(client):
    client.post(
        "/_control/worlds/fedora-basic/faults", json={"service": "bodhi", "respond": {"delay_ms": 50}}
    )
    entries_before = len(client.get("/_control/worlds/fedora-basic/journal").json)
    response = client.get("/w/fedora-basic/bodhi/releases/")
    entry = client.get("/_control/worlds/fedora-basic/journal").json[entries_before]
    assert entry["duration_ms"] >= 50 and response.status_code == entry["status"]


def test_invalid_fault_rules_are_rejected_with_every_reason(client):
    response = client.post(
        "/_control/worlds/fedora-basic/faults",
        json={"service": "nope", "times": 0, "respond": {"status": 99}, "extra": 1},
    )
    assert response.status_code == 400
    for fragment in ("unknown field 'extra'", "service must be one of", "times must be", "respond.status"):
        assert fragment in response.json["message"]
    assert (
        client.post(
            "/_control/worlds/fedora-basic/faults", data="[1", content_type="application/json"
        ).status_code
        == 400
    )


def test_delete_one_or_all_fault_rules(client):
    ids = [
        client.post(
            "/_control/worlds/fedora-basic/faults", json={"service": "bodhi", "respond": {"status": 500}}
        ).json["id"]
        for _ in range(3)
    ]
    assert client.delete(f"/_control/worlds/fedora-basic/faults/{ids[0]}").status_code == 204
    assert client.delete(f"/_control/worlds/fedora-basic/faults/{ids[0]}").status_code == 404
    assert [r["id"] for r in client.get("/_control/worlds/fedora-basic/faults").json] == ids[1:]
    assert client.delete("/_control/worlds/fedora-basic/faults").status_code == 204
    assert client.get("/_control/worlds/fedora-basic/faults").json == []


def test_reset_clears_journal_and_faults(client):
    client.post("/_control/worlds/fedora-basic/faults", json={"service": "bodhi", "respond": {"status": 500}})
    client.get("/bodhi/updates/")
    assert client.post("/_control/worlds/fedora-basic/reset").status_code == 200
    assert client.get("/_control/worlds/fedora-basic/journal").json == []
    assert client.get("/_control/worlds/fedora-basic/faults").json == []


def test_root_paths_serve_the_default_world(client):
    client.get("/bodhi/updates/")
    client.get("/w/fedora-basic/bodhi/updates/")
    assert len(client.get("/_control/worlds/fedora-basic/journal").json) == 2
    assert client.get("/nothing-here").status_code == 404


def test_token_is_required_when_configured():
    app = build_host([], token="s3cret")
    client = Client(app)
    assert client.get("/_control/health").status_code == 401
    ok = client.get("/_control/health", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json["worlds"] == 0
    app.registry.close()
