"""The pytest plugin (entry point pytest11): the `fedora` fixture, the `fedora_world` marker and the
`--fedora-world` option, run by pytest's own pytester on a small test file of a system written here."""

from __future__ import annotations

import shutil

from tests.conftest import BASIC_WORLD

SYSTEM_TESTS = '''
import pytest
import requests

def latest_results(resultsdb, item):
    """A small Taskotron-era runner's helper: ResultsDB's newest outcome per testcase for an item."""
    answer = requests.get(f"{resultsdb}/results/latest", params={"item": item}, timeout=5).json()
    return {r["testcase"]["name"]: r["outcome"] for r in answer["data"]}

@pytest.mark.fedora_world("worlds/basic.yaml")
def test_marker(fedora):
    assert latest_results(fedora.urls["resultsdb"], "nothing-here") == {}
    posted = {"outcome": "FAILED", "testcase": "dist.rpmlint", "data": {"item": "x-1-1"}}
    requests.post(f"{fedora.urls['resultsdb']}/results", json=posted, timeout=5)
    assert latest_results(fedora.urls["resultsdb"], "x-1-1") == {"dist.rpmlint": "FAILED"}
    fedora.check({"results": [{"testcase": "dist.rpmlint", "outcome": "FAILED", "item": "x-1-1"}]})

def test_option(fedora):
    assert fedora.export()["name"]

@pytest.mark.fedora_world({"name": "tiny"}, urls={"resultsdb": "http://rdb.test/api/v2.0"})
def test_mapping_and_urls(fedora):
    assert requests.get("http://rdb.test/api/v2.0/results", timeout=5).json()["data"] == []

@pytest.mark.fedora_world("worlds/basic.yaml")
def test_expectation_fails_with_the_explanation(fedora):
    fedora.check({"results": [{"testcase": "dist.depcheck", "outcome": "PASSED"}]})
'''


def test_the_fixture_marker_and_option(pytester):
    (pytester.path / "worlds").mkdir()
    shutil.copy(BASIC_WORLD, pytester.path / "worlds" / "basic.yaml")
    pytester.makepyfile(test_system=SYSTEM_TESTS)
    result = pytester.runpytest("--fedora-world", "worlds/basic.yaml", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*expected: results: testcase='dist.depcheck', outcome='PASSED'*"])
    alone = pytester.runpytest("-k", "test_option", "-p", "no:cacheprovider")
    alone.assert_outcomes(errors=1)
    alone.stdout.fnmatch_lines(["*the `fedora` fixture needs a world*--fedora-world PATH*"])
