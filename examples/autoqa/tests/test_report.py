"""Reporting: the AutoQA comment format, results posted to ResultsDB, retries (HTTP faked with responses)."""

import json

import responses
from autoqa.checks import Finding
from autoqa.config import load_config
from autoqa.items import Release, Target
from autoqa.report import comment_text, overall, post_results
from autoqa.services import Services

ENV = {
    "AUTOQA_KOJI_URL": "http://koji/kojihub",
    "AUTOQA_KOJI_FILES_URL": "http://koji/files",
    "AUTOQA_BODHI_URL": "http://bodhi",
    "AUTOQA_RESULTSDB_URL": "http://rdb/api/v2.0",
    "AUTOQA_RETRY_DELAY": "0",
}
TARGET = Target(
    "bodhi_update",
    "FEDORA-2024-0000000001",
    Release("F41", 41, "current", "f41", "f41-updates", "f41-updates-testing", "f41-updates-candidate"),
    [],
)


def test_comment_format():
    findings = [Finding("x86_64", "PASSED", "ok"), Finding("aarch64", "FAILED", "bad")]
    assert overall(findings) == "FAILED"
    assert comment_text("depcheck", findings, "http://rdb/results/7") == (
        "AutoQA: depcheck test FAILED on aarch64, x86_64. Result log:\nhttp://rdb/results/7\n"
        "(results are informative only)"
    )


@responses.activate
def test_results_carry_item_type_and_arch():
    responses.add(
        responses.POST,
        "http://rdb/api/v2.0/results",
        status=201,
        json={"id": 1, "href": "http://rdb/api/v2.0/results/1"},
    )
    services = Services(load_config(environ=ENV))
    [result] = post_results(
        services, "upgradepath", TARGET, [Finding("noarch", "PASSED", "1 builds", ["line"])]
    )
    assert result["id"] == 1
    body = json.loads(responses.calls[0].request.body)
    assert (
        body["testcase"] == "dist.upgradepath" and body["outcome"] == "PASSED" and body["note"] == "1 builds"
    )
    assert body["data"]["item"] == "FEDORA-2024-0000000001" and body["data"]["arch"] == ["noarch"]
    assert body["data"]["type"] == "bodhi_update" and body["data"]["details"] == "line"
    assert len(body["data"]["autoqa_id"]) == 32


@responses.activate
def test_a_resultsdb_that_fails_once_is_retried():
    responses.add(responses.POST, "http://rdb/api/v2.0/results", status=503)
    responses.add(responses.POST, "http://rdb/api/v2.0/results", status=201, json={"id": 2, "href": "h"})
    services = Services(load_config(environ=ENV))
    [result] = post_results(
        services, "depcheck", TARGET, [Finding("x86_64", "FAILED", "1 unsatisfied requires")]
    )
    assert result["id"] == 2 and [c.request.method for c in responses.calls] == ["POST", "GET", "POST"]


@responses.activate
def test_a_result_saved_before_the_failure_is_not_posted_again():
    responses.add(responses.POST, "http://rdb/api/v2.0/results", status=502)
    responses.add(responses.GET, "http://rdb/api/v2.0/results", json={"data": [{"id": 9, "href": "h9"}]})
    services = Services(load_config(environ=ENV))
    [result] = post_results(services, "depcheck", TARGET, [Finding("x86_64", "PASSED", "ok")])
    assert result["id"] == 9 and [c.request.method for c in responses.calls] == ["POST", "GET"]
    key = json.loads(responses.calls[0].request.body)["data"]["autoqa_id"]
    assert f"autoqa_id={key}" in responses.calls[1].request.url
