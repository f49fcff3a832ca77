"""The real `resultsdb_api` client against the mock: every method, its error messages and its retries."""

from __future__ import annotations

import pytest
import requests
from resultsdb_api import ResultsDBapi, ResultsDBapiException


def api(url, **kwargs) -> ResultsDBapi:
    return ResultsDBapi(url, **kwargs)


def test_testcases(rdb):
    client = api(rdb)
    created = client.create_testcase("dist.rpmlint", ref_url="https://example.org/rpmlint")
    assert created == {
        "href": f"{rdb}/testcases/dist.rpmlint",
        "name": "dist.rpmlint",
        "ref_url": "https://example.org/rpmlint",
    }
    assert (
        client.update_testcase("dist.rpmlint", url="https://example.org/v2")["ref_url"]
        == "https://example.org/v2"
    )
    assert client.update_testcase("dist.rpmlint")["ref_url"] == "https://example.org/v2"  # a plain GET
    client.create_testcase("dist.depcheck")
    assert client.get_testcase("dist.depcheck")["ref_url"] is None
    listed = client.get_testcases(name_like="dist.*", limit=1)
    assert [tc["name"] for tc in listed["data"]] == ["dist.depcheck"] and listed["next"].endswith("page=1")
    assert [tc["name"] for tc in client.get_testcases(name="dist.rpmlint")["data"]] == ["dist.rpmlint"]


def test_missing_things_raise_with_the_real_messages(rdb):
    client = api(rdb)
    with pytest.raises(ResultsDBapiException) as caught:
        client.get_testcase("no.such")
    assert caught.value.message == "Testcase not found (HTTP 404)"
    assert caught.value.response.status_code == 404
    with pytest.raises(ResultsDBapiException) as caught:
        client.get_result(99)
    assert caught.value.message == "Result not found (HTTP 404)"
    with pytest.raises(ResultsDBapiException) as caught:
        client.get_group("nope")
    assert caught.value.message == "Group not found (HTTP 404)"


def test_validation_errors_reach_the_client_as_unexpected_json(rdb):
    with pytest.raises(ResultsDBapiException) as caught:
        api(rdb).create_result("ABORTED", "dist.rpmlint")
    assert caught.value.message.startswith("Unexpected JSON data (HTTP 400): {'validation_error': [{")
    assert "Value error, must be one of: PASSED, INFO, FAILED, NEEDS_INSPECTION" in caught.value.message
    with pytest.raises(ResultsDBapiException) as caught:
        api(rdb).create_result("PASSED", "dist.rpmlint", **{"bad:key": "v"})
    assert caught.value.message == "Colon not allowed in key name: ['bad:key'] (HTTP 400)"


def test_groups(rdb):
    client = api(rdb)
    generated = client.create_group(description="Taskotron job")
    assert generated["description"] == "Taskotron job" and len(generated["uuid"]) == 36
    client.create_group(uuid="job-1", ref_url="https://example.org/job1", description="first")
    updated = client.update_group("job-1", description="changed")
    assert updated["description"] == "changed" and updated["ref_url"] == "https://example.org/job1"
    assert client.update_group("job-1")["uuid"] == "job-1"  # nothing to change: a GET
    assert client.get_group("job-1")["results"] == f"{rdb}/results?groups=job-1"
    assert [g["uuid"] for g in client.get_groups(uuid="job-1")["data"]] == ["job-1"]
    assert [g["uuid"] for g in client.get_groups(description_like="*chan*")["data"]] == ["job-1"]
    assert client.get_groups()["data"][0]["uuid"] == "job-1"  # newest first


def test_results_round_trip_through_the_client(rdb):
    client = api(rdb)
    posted = client.create_result(
        "failed",
        "dist.upgradepath",
        groups=["job-1"],
        note="1 error",
        ref_url="https://example.org/log",
        item="htop-3.3.0-1.fc41",
        type="koji_build",
        arch=["x86_64", "noarch"],
    )
    assert posted["outcome"] == "FAILED" and posted["id"] == 1
    assert posted["data"] == {
        "arch": ["x86_64", "noarch"],
        "item": ["htop-3.3.0-1.fc41"],
        "type": ["koji_build"],
    }
    client.create_result("PASSED", "dist.depcheck", item="htop-3.3.0-1.fc41", type="koji_build")
    client.create_result("PASSED", "dist.depcheck", item="other-1-1.fc41", type="koji_build")
    assert client.get_result(1)["testcase"]["name"] == "dist.upgradepath"
    found = client.get_results(item="htop-3.3.0-1.fc41", type="koji_build")
    assert [r["id"] for r in found["data"]] == [2, 1]
    assert [r["id"] for r in client.get_results(testcases_like="dist.dep*")["data"]] == [3, 2]
    assert [r["id"] for r in client.get_results(outcome=["FAILED"])["data"]] == [1]
    assert [r["id"] for r in client.get_results(groups=["job-1"])["data"]] == [1]
    assert [r["id"] for r in client.get_results(item_like="htop*")["data"]] == [2, 1]
    assert [r["id"] for r in client.get_results(raw_params={"arch": "noarch"})["data"]] == [1]
    latest = client.session.get(f"{rdb}/results/latest", params={"item": "htop-3.3.0-1.fc41"}).json()
    assert sorted(r["id"] for r in latest["data"]) == [1, 2] and set(latest) == {"data"}


def test_client_retries_a_failed_post_once_and_nothing_is_lost(rdb_world):
    base, name = rdb_world
    requests.post(
        f"{base}/_control/worlds/{name}/faults",
        timeout=5,
        json={
            "service": "resultsdb",
            "method": "POST",
            "path": "/results",
            "respond": {"status": 503},
            "times": 1,
        },
    )
    client = api(f"{base}/w/{name}/resultsdb/api/v2.0", backoff_factor=0)
    posted = client.create_result("PASSED", "dist.rpmlint", item="x-1-1")
    assert posted["id"] == 1
    results = client.get_results()["data"]
    assert [r["id"] for r in results] == [1]
    journal = requests.get(f"{base}/_control/worlds/{name}/journal?service=resultsdb", timeout=5).json()
    assert [(e["method"], e["status"]) for e in journal[:2]] == [("POST", 503), ("POST", 201)]


def test_saved_then_failed_post_is_duplicated_by_the_retry(rdb_world):
    base, name = rdb_world
    requests.post(
        f"{base}/_control/worlds/{name}/faults",
        timeout=5,
        json={
            "service": "resultsdb",
            "method": "POST",
            "path": "/results",
            "respond": {"status": 502, "after_handling": True},
            "times": 1,
        },
    )
    client = api(f"{base}/w/{name}/resultsdb/api/v2.0", backoff_factor=0)
    client.create_result("PASSED", "dist.rpmlint", item="x-1-1")
    assert [r["id"] for r in client.get_results()["data"]] == [2, 1]  # the real server deduplicates nothing


def test_client_gives_up_after_its_retries(rdb_world):
    base, name = rdb_world
    requests.post(
        f"{base}/_control/worlds/{name}/faults",
        timeout=5,
        json={"service": "resultsdb", "respond": {"status": 500}, "times": None},
    )
    client = api(f"{base}/w/{name}/resultsdb/api/v2.0", max_retries=2, backoff_factor=0)
    with pytest.raises(ResultsDBapiException) as caught:
        client.get_results()
    assert caught.value.message.startswith("Maximum number of retries exceeded")
    assert caught.value.response is None
    faults = requests.get(f"{base}/_control/worlds/{name}/faults", timeout=5).json()
    assert faults[0]["fired"] == 3
