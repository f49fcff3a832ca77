"""Reporting: the AutoQA comment format, results posted to ResultsDB and the comment to Bodhi, retries
after failures; against stagingqa's mock services in process (the `fedora` fixture of stagingqa.testing,
a test-only dependency: autoqa itself never imports stagingqa)."""

import pytest
from autoqa.checks import Finding
from autoqa.config import load_config
from autoqa.items import Release, Target
from autoqa.report import comment_text, overall, post_results
from autoqa.runner import run_check
from autoqa.services import Services

pytestmark = pytest.mark.fedora_world("worlds/htop-update.yaml")
UPDATE = "FEDORA-2024-0000000001"
TARGET = Target(
    "bodhi_update",
    UPDATE,
    Release("F41", 41, "current", "f41", "f41-updates", "f41-updates-testing", "f41-updates-candidate"),
    [],
)


@pytest.fixture
def services(fedora, tmp_path):
    """autoqa's clients, configured with Fedora's production URLs: the mocks answer there in process."""
    environ = {
        "AUTOQA_KOJI_URL": fedora.urls["koji"],
        "AUTOQA_KOJI_FILES_URL": fedora.urls["kojifiles"],
        "AUTOQA_BODHI_URL": fedora.urls["bodhi"],
        "AUTOQA_IDP_URL": fedora.urls["identity"],
        "AUTOQA_RESULTSDB_URL": fedora.urls["resultsdb"],
        "AUTOQA_STATE_FILE": str(tmp_path / "state.json"),
        "AUTOQA_RETRY_DELAY": "0",
    }
    return Services(load_config(environ=environ))


def posts(fedora):
    return [(e["method"], e["status"]) for e in fedora.journal if e["service"] == "resultsdb"]


def test_comment_format():
    findings = [Finding("x86_64", "PASSED", "ok"), Finding("aarch64", "FAILED", "bad")]
    assert overall(findings) == "FAILED"
    assert comment_text("depcheck", findings, "http://rdb/results/7") == (
        "AutoQA: depcheck test FAILED on aarch64, x86_64. Result log:\nhttp://rdb/results/7\n"
        "(results are informative only)"
    )


def test_results_carry_item_type_and_arch(fedora, services):
    [result] = post_results(
        services, "upgradepath", TARGET, [Finding("noarch", "PASSED", "1 builds", ["line"])]
    )
    fedora.check(
        {
            "results": [
                {"testcase": "dist.upgradepath", "outcome": "PASSED", "item": UPDATE, "type": "bodhi_update"}
            ]
        }
    )
    [stored] = fedora.export()["results"]
    assert stored["note"] == "1 builds" and result["testcase"]["name"] == "dist.upgradepath"
    assert stored["data"]["arch"] == ["noarch"] and stored["data"]["details"] == ["line"]
    assert len(stored["data"]["autoqa_id"][0]) == 32


def test_a_resultsdb_that_fails_once_is_retried(fedora, services):
    fedora.fault(service="resultsdb", method="POST", path="/results", times=1, respond={"status": 503})
    [result] = post_results(
        services, "depcheck", TARGET, [Finding("x86_64", "FAILED", "1 unsatisfied requires")]
    )
    assert posts(fedora) == [("POST", 503), ("GET", 200), ("POST", 201)]
    [stored] = fedora.export()["results"]  # posted once
    assert stored["data"]["autoqa_id"] == result["data"]["autoqa_id"]


def test_a_result_saved_before_the_failure_is_not_posted_again(fedora, services):
    fedora.fault(
        service="resultsdb",
        method="POST",
        path="/results",
        times=1,
        respond={"status": 502, "after_handling": True},
    )
    [result] = post_results(services, "depcheck", TARGET, [Finding("x86_64", "PASSED", "ok")])
    assert posts(fedora) == [("POST", 502), ("GET", 200)]
    [stored] = fedora.export()["results"]  # saved by the POST that failed, not posted again
    key = fedora.journal[0]["request"]["data"]["autoqa_id"]
    assert stored["data"]["autoqa_id"] == result["data"]["autoqa_id"] == [key]
    assert f"autoqa_id={key}" in fedora.journal[1]["query"]


def test_upgradepath_on_an_update_posts_its_result_and_one_comment(fedora, services):
    outcome = run_check(services, "upgradepath", "bodhi_update", UPDATE)
    assert outcome.error is None
    fedora.check(
        """
        results:
          - {testcase: dist.upgradepath, outcome: PASSED, item: FEDORA-2024-0000000001, type: bodhi_update}
        comments:
          - {update: FEDORA-2024-0000000001, user: autoqa, text: "AutoQA: upgradepath test PASSED*", karma: 0}
        """
    )


def comment_requests(fedora):
    return [(e["method"], e["status"]) for e in fedora.journal if e["path"].startswith("/comments/")]


def test_a_comment_saved_before_the_failure_is_not_posted_again(fedora, services):
    saved_then_failed = {"status": 502, "after_handling": True}
    fedora.fault(service="bodhi", method="POST", path="/comments/", times=1, respond=saved_then_failed)
    services.post_comment(UPDATE, "AutoQA: depcheck test PASSED on x86_64.")
    assert comment_requests(fedora) == [("POST", 502), ("GET", 200)]  # looked, found it, done
    fedora.check({"comments": [{"update": UPDATE, "user": "autoqa", "count": 1}]})


def test_a_comment_bodhi_did_not_save_is_posted_again(fedora, services):
    fedora.fault(service="bodhi", method="POST", path="/comments/", times=1, respond={"status": 503})
    services.post_comment(UPDATE, "AutoQA: depcheck test PASSED on x86_64.")
    assert comment_requests(fedora) == [("POST", 503), ("GET", 200), ("POST", 200)]
    fedora.check({"comments": [{"update": UPDATE, "user": "autoqa", "count": 1}]})
