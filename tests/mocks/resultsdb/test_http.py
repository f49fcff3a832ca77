"""Plain HTTP against the mock ResultsDB: malformed requests, the mock's answers to the real server's
crashes, concurrent writers, configured outcomes, seeding and export."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from stagingqa.mocks.resultsdb.pgsort import pg_sorted
from tests.mocks.resultsdb.conftest import new_world

JSON = {"Content-Type": "application/json"}


def post(url, body, headers=JSON):
    return requests.post(
        url, data=body if isinstance(body, str | bytes) else json.dumps(body), headers=headers, timeout=10
    )


@pytest.mark.parametrize(
    "body, loc, kind",
    [
        (
            {"outcome": "PASSED", "testcase": "t", "submit_time": 1661324097123.9},
            ["submit_time"],
            "value_error",
        ),
        ({"outcome": "PASSED", "testcase": "t", "groups": [5]}, ["groups", 0], "group_type"),
        ([{"outcome": "PASSED", "testcase": "t"}], [], "dict_type"),
        (
            {"outcome": "PASSED", "testcase": "t", "submit_time": "2022-08-24T06:54:57"},
            ["submit_time"],
            "value_error",
        ),
        ({"outcome": "   ", "testcase": "t"}, ["outcome"], "string_too_short"),
        ({"outcome": "PASSED", "testcase": []}, ["testcase"], "value_error"),
    ],
)
def test_bad_result_bodies_are_400_never_500(rdb, body, loc, kind):
    response = post(f"{rdb}/results", body)
    assert response.status_code == 400
    [error] = response.json()["validation_error"]
    assert error["loc"] == loc and error["type"] == kind


def test_several_bad_fields_are_reported_together_in_field_order(rdb):
    errors = post(f"{rdb}/results", {"note": 1, "groups": "x"}).json()["validation_error"]
    assert [e["loc"] for e in errors] == [["outcome"], ["testcase"], ["groups"], ["note"]]


def test_negative_limit_and_bad_ids(rdb):
    assert requests.get(f"{rdb}/results?limit=-5", timeout=5).status_code == 400
    assert requests.get(f"{rdb}/results/abc", timeout=5).json() == {"message": "Result not found"}
    assert requests.get(f"{rdb}/groups/x/results", timeout=5).json() == {"message": "Group not found: x"}


def test_html_answers_for_405_and_415(rdb):
    deleted = requests.delete(f"{rdb}/results/1", timeout=5)
    assert deleted.status_code == 405 and deleted.headers["Content-Type"].startswith("text/html")
    plain = post(
        f"{rdb}/results", '{"outcome": "PASSED", "testcase": "t"}', headers={"Content-Type": "text/plain"}
    )
    assert plain.status_code == 415 and "Did not attempt to load JSON data" in plain.text
    assert post(f"{rdb}/results", "{nope").json() == {"message": "Bad request"}
    assert requests.get(f"{rdb}/results/", timeout=5).json() == {"message": "Not found"}


def test_submit_time_forms(rdb):
    def stored(value):
        return post(f"{rdb}/results", {"outcome": "PASSED", "testcase": "t", "submit_time": value}).json()[
            "submit_time"
        ]

    assert stored(1661324097000) == "2022-08-24T06:54:57"
    assert stored("1661324097123") == "2022-08-24T06:54:57.123000"
    assert stored("2022-08-24T06:54:57.000001+02:00") == "2022-08-24T04:54:57.000001"
    assert stored("2022-08-24T06:54:57.5+00") == "2022-08-24T06:54:57.500000"


def test_eight_concurrent_writers_lose_nothing(rdb):
    def write(worker):
        session = requests.Session()
        return [
            session.post(
                f"{rdb}/results",
                json={"outcome": "PASSED", "testcase": f"tc.{worker}", "data": {"n": i}},
                timeout=30,
            ).json()["id"]
            for i in range(40)
        ]

    with ThreadPoolExecutor(8) as pool:
        ids = [i for batch in pool.map(write, range(8)) for i in batch]
    assert len(ids) == 320 and len(set(ids)) == 320 and set(ids) == set(range(1, 321))
    everything = requests.get(f"{rdb}/results?limit=1000", timeout=10).json()["data"]
    assert len(everything) == 320


def test_extra_outcomes_come_from_the_world(served):
    name = new_world(served, "name: extra\nresultsdb:\n  extra_outcomes: [QUEUED, RUNNING, ERROR]\n")
    root = f"{served}/w/{name}/resultsdb/api/v2.0"
    landing = requests.get(root, timeout=5)
    assert landing.status_code == 300
    assert landing.json()["outcomes"] == [
        "PASSED",
        "INFO",
        "FAILED",
        "NEEDS_INSPECTION",
        "QUEUED",
        "RUNNING",
        "ERROR",
    ]
    assert post(f"{root}/results", {"outcome": "queued", "testcase": "t"}).json()["outcome"] == "QUEUED"
    assert requests.get(f"{root}/results?outcome=running", timeout=5).status_code == 200


def test_default_world_rejects_extra_outcomes(rdb):
    response = post(f"{rdb}/results", {"outcome": "QUEUED", "testcase": "t"})
    assert response.status_code == 400


SEEDED = """
name: seeded
now: 2024-11-02T12:00:00Z
resultsdb:
  testcases: [{name: dist.rpmlint, ref_url: https://example.org/rpmlint}]
  groups: [{uuid: job-1, description: first job}]
results:
  - testcase: dist.rpmlint
    outcome: passed
    submitted: 2024-11-02T10:30:00Z
    note: 0 errors
    groups: [job-1]
    data: {item: htop-3.3.0-1.fc41, type: koji_build, arch: [x86_64, noarch]}
  - testcase: dist.depcheck
    outcome: FAILED
"""


def test_seeded_results_are_served_and_exported(served):
    name = new_world(served, SEEDED)
    root = f"{served}/w/{name}/resultsdb/api/v2.0"
    first = requests.get(f"{root}/results/1", timeout=5).json()
    assert first["submit_time"] == "2024-11-02T10:30:00" and first["outcome"] == "PASSED"
    assert first["data"] == {
        "arch": ["x86_64", "noarch"],
        "item": ["htop-3.3.0-1.fc41"],
        "type": ["koji_build"],
    }
    assert first["testcase"]["ref_url"] == "https://example.org/rpmlint" and first["groups"] == ["job-1"]
    assert requests.get(f"{root}/results/2", timeout=5).json()["submit_time"] == "2024-11-02T11:59:59"
    post(f"{root}/results", {"outcome": "INFO", "testcase": "dist.rpmlint", "data": {"item": "new"}})
    exported = requests.get(f"{served}/_control/worlds/{name}/export", timeout=5).json()
    assert [r["outcome"] for r in exported["results"]] == ["PASSED", "FAILED", "INFO"]
    assert exported["resultsdb"]["groups"] == [{"uuid": "job-1", "description": "first job", "ref_url": None}]
    again = new_world(served, json.dumps(exported))
    copy = requests.get(f"{served}/w/{again}/resultsdb/api/v2.0/results", timeout=5).json()
    original = requests.get(f"{root}/results", timeout=5).json()
    assert [(r["id"], r["outcome"], r["submit_time"], r["data"]) for r in copy["data"]] == [
        (r["id"], r["outcome"], r["submit_time"], r["data"]) for r in original["data"]
    ]


@pytest.mark.parametrize("backend", ["served", "served_postgres"])
def test_a_page_larger_than_a_load_chunk_keeps_every_result_its_own(backend, request):
    """700 results on one page are loaded in chunks of 512 ids (padded to a power of two): each keeps its
    own data and groups, in order, and ties in submit_time come out in PostgreSQL's order."""
    base = request.getfixturevalue(backend)
    results = [
        {
            "testcase": f"dist.chunk{i % 3}",
            "outcome": ("PASSED", "FAILED")[i % 2],
            "submitted": f"2024-11-01T{i // 60 % 24:02d}:{i % 60:02d}:00Z"
            if i % 7
            else "2024-11-02T00:00:00Z",
            "groups": [f"job-{i}"],
            "data": {"item": f"pkg{i}-1.0-1.fc41", "type": "koji_build", "arch": ["x86_64", f"a{i}"]},
        }
        for i in range(700)
    ]
    name = new_world(base, json.dumps({"name": "chunks", "now": "2024-12-01T00:00:00Z", "results": results}))
    root = f"{base}/w/{name}/resultsdb/api/v2.0"
    page = requests.get(f"{root}/results?limit=700&type=koji_build", timeout=30).json()["data"]
    assert len(page) == 700 and len({r["id"] for r in page}) == 700
    for result in page:
        i = int(result["groups"][0].removeprefix("job-"))
        assert result["data"] == {
            "arch": ["x86_64", f"a{i}"],
            "item": [f"pkg{i}-1.0-1.fc41"],
            "type": ["koji_build"],
        }
        assert result["testcase"]["name"] == f"dist.chunk{i % 3}"
    times = [r["submit_time"] for r in page]
    assert times == sorted(times, reverse=True) and times[0] == "2024-11-02T00:00:00"
    one_by_one = [requests.get(f"{root}/results/{r['id']}", timeout=5).json() for r in page[:150:7]]
    assert one_by_one == page[:150:7]
    # ties (every seventh result) in the order PostgreSQL's quicksort leaves a heap-ordered scan
    rows = sorted((r["id"], r["submit_time"]) for r in page)
    expected = pg_sorted(rows, lambda x, y: (x[1] < y[1]) - (x[1] > y[1]))
    assert [r["id"] for r in page] == [row_id for row_id, _ in expected]
    tied = [r["id"] for r in page[:100]]
    assert {r["submit_time"] for r in page[:100]} == {times[0]}
    assert tied not in (sorted(tied), sorted(tied, reverse=True))  # neither id order: the quicksort's
    requests.delete(f"{base}/_control/worlds/{name}", timeout=10)
