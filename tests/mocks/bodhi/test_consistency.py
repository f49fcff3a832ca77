"""One world, two services: Bodhi requests move Koji tags, Koji tagging moves Bodhi statuses, and exports
keep comments and karma."""

from __future__ import annotations

import json

import koji
import requests


def test_pushing_to_testing_tags_the_builds_in_koji(client_as, bworld):
    client = client_as("packager2")
    client.request("FEDORA-2024-0000000002", "testing")
    update = client.query(updateid="FEDORA-2024-0000000002")["updates"][0]
    assert update["status"] == "testing" and update["request"] is None and update["date_testing"]
    hub = koji.ClientSession(bworld["hub"])
    assert {r["nvr"] for r in hub.listTagged("f41-updates-testing")} >= {
        "nano-8.0-1.fc41",
        "nano-libs-8.0-1.fc41",
    }
    assert not {r["nvr"] for r in hub.listTagged("f41-updates-candidate")} & {"nano-8.0-1.fc41"}
    assert update["comments"][-1]["text"] == "This update has been pushed to testing."


def test_tagging_into_the_stable_tag_makes_the_update_stable(bworld, client_as):
    hub = koji.ClientSession(bworld["hub"])
    hub.opts.update(user="packager1", password="packager1")
    hub.login()
    hub.moveBuild("f41-updates-testing", "f41-updates", "htop-3.3.0-1.fc41")
    update = client_as().query(updateid="FEDORA-2024-0000000001")["updates"][0]
    assert update["status"] == "stable" and update["date_stable"]


def test_export_keeps_comments_and_karma_and_reloads(client_as, bworld):
    client_as("packager2").comment("FEDORA-2024-0000000001", "Works here too", karma=1)
    client_as().comment("FEDORA-2024-0000000001", "AutoQA: depcheck test PASSED.")
    exported = requests.get(f"{bworld['base']}/_control/worlds/{bworld['name']}/export", timeout=10).json()
    first = next(u for u in exported["updates"] if u["alias"] == "FEDORA-2024-0000000001")
    assert [(c["user"], c["karma"]) for c in first["comments"]] == [
        ("tester", 1),
        ("packager2", 1),
        ("autoqa", 0),
    ]
    copy = bworld["name"] + "-copy"
    assert (
        requests.put(
            f"{bworld['base']}/_control/worlds/{copy}", data=json.dumps(exported), timeout=30
        ).status_code
        == 201
    )
    again = requests.get(f"{bworld['base']}/w/{copy}/bodhi/updates/FEDORA-2024-0000000001", timeout=5).json()
    original = requests.get(bworld["url"] + "updates/FEDORA-2024-0000000001", timeout=5).json()
    for key in ("karma", "status", "request", "autokarma"):
        assert again["update"][key] == original["update"][key]
    assert [c["text"] for c in again["update"]["comments"]] == [
        c["text"] for c in original["update"]["comments"]
    ]
    requests.delete(f"{bworld['base']}/_control/worlds/{copy}", timeout=10)


def test_a_bodhi_push_moves_the_koji_repository(client_as, bworld):
    hub = koji.ClientSession(bworld["hub"])
    before = hub.getRepo("f41-updates-testing")
    client_as("packager2").request("FEDORA-2024-0000000002", "testing")
    after = hub.getRepo("f41-updates-testing")
    assert after["id"] != before["id"] and after["create_event"] > before["create_event"]
    files = bworld["hub"].replace("/kojihub", "/kojifiles")
    primary = requests.get(
        f"{files}/repos/f41-updates-testing/{after['id']}/x86_64/repodata/repomd.xml", timeout=30
    )
    assert primary.status_code == 200
