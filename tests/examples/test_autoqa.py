"""examples/autoqa, installed like any system under test, run against the mock host on a world written
for it: the right outcomes, results' data, comments, and its behaviour when a service fails."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import RESOURCES

AUTOQA = str(Path(sys.executable).with_name("autoqa"))
WORLD = (RESOURCES / "worlds" / "autoqa.yaml").read_bytes()


@pytest.fixture
def aq(served, tmp_path):
    name = f"aq{time.monotonic_ns()}"
    assert requests.put(f"{served}/_control/worlds/{name}", data=WORLD, timeout=60).status_code == 201
    root = f"{served}/w/{name}"
    env = {
        **os.environ,
        "AUTOQA_KOJI_URL": f"{root}/kojihub",
        "AUTOQA_KOJI_FILES_URL": f"{root}/kojifiles",
        "AUTOQA_BODHI_URL": f"{root}/bodhi/",
        "AUTOQA_RESULTSDB_URL": f"{root}/resultsdb/api/v2.0",
        "AUTOQA_STATE_FILE": str(tmp_path / "state.json"),
        "AUTOQA_RETRY_DELAY": "0.05",
        "HOME": str(tmp_path),
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([AUTOQA, *args], env=env, capture_output=True, text=True, timeout=120)

    yield {"run": run, "root": root, "base": served, "name": name}
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


def results(aq, **params):
    return requests.get(
        f"{aq['root']}/resultsdb/api/v2.0/results", params={"limit": 100, **params}, timeout=10
    ).json()["data"]


def comments(aq, alias):
    return [
        c
        for c in requests.get(f"{aq['root']}/bodhi/comments/", params={"updates": alias}, timeout=10).json()[
            "comments"
        ]
        if c["user"]["name"] == "autoqa"
    ]


@pytest.mark.parametrize(
    "alias, outcome",
    [
        ("FEDORA-2024-0000000001", "PASSED"),  # older in F40, newer in F42
        ("FEDORA-2024-0000000002", "FAILED"),  # F40 update newer than F41's stable build
        ("FEDORA-2024-0000000003", "PASSED"),  # 1.10 is newer than 1.9
    ],
)
def test_upgradepath(aq, alias, outcome):
    done = aq["run"]("run", "--check", "upgradepath", "--item", alias, "--type", "bodhi_update")
    assert done.returncode == 0, done.stderr
    [result] = results(aq, item=alias)
    assert (result["testcase"]["name"], result["outcome"]) == ("dist.upgradepath", outcome)
    assert result["data"]["type"] == ["bodhi_update"] and result["data"]["arch"] == ["noarch"]
    [comment] = comments(aq, alias)
    assert comment["karma"] == 0
    assert comment["text"] == (
        f"AutoQA: upgradepath test {outcome} on noarch. Result log:\n{result['href']}\n"
        "(results are informative only)"
    )


def test_depcheck_missing_requires_fail_and_the_update_satisfies_itself(aq):
    assert (
        aq["run"](
            "run", "--check", "depcheck", "--item", "FEDORA-2024-0000000004", "--type", "bodhi_update"
        ).returncode
        == 0
    )
    [failed] = results(aq, item="FEDORA-2024-0000000004")
    assert failed["outcome"] == "FAILED" and failed["data"]["arch"] == ["x86_64"]
    assert "libbar.so.2()(64bit)" in failed["data"]["details"][0]
    aq["run"]("run", "--check", "depcheck", "--item", "FEDORA-2024-0000000005", "--type", "bodhi_update")
    assert [r["outcome"] for r in results(aq, item="FEDORA-2024-0000000005")] == ["PASSED"]
    aq["run"]("run", "--check", "depcheck", "--item", "FEDORA-2024-0000000001", "--type", "bodhi_update")
    per_arch = {r["data"]["arch"][0]: r["outcome"] for r in results(aq, item="FEDORA-2024-0000000001")}
    assert per_arch == {"x86_64": "PASSED", "aarch64": "PASSED"}


def test_rpmlint_reads_the_real_rpm_files(aq):
    assert (
        aq["run"]("run", "--check", "rpmlint", "--item", "baz-1.0-1.fc41", "--type", "koji_build").returncode
        == 0
    )
    [result] = results(aq, item="baz-1.0-1.fc41")
    # the world gives libbaz license "": its RPM file has none (rpmbuild would refuse; the mock strips it)
    assert result["outcome"] == "FAILED" and result["note"] == "2 errors, 1 warnings"
    assert result["data"]["details"] == [
        "libbaz-1.0-1.fc41.x86_64: W: summary-ended-with-dot\n"
        "libbaz-1.0-1.fc41.x86_64: E: no-license\n"
        "libbaz-1.0-1.fc41.x86_64: E: library-without-requires"
    ]
    assert comments(aq, "FEDORA-2024-0000000001") == []  # builds get no Bodhi comments


def test_a_failing_koji_is_reported_as_needs_inspection(aq):
    requests.post(
        f"{aq['base']}/_control/worlds/{aq['name']}/faults",
        timeout=5,
        json={
            "service": "koji",
            "call": "listTagged",
            "times": None,
            "respond": {"body": {"faultCode": 1014, "faultString": "database outage"}},
        },
    )
    done = aq["run"](
        "run", "--check", "upgradepath", "--item", "FEDORA-2024-0000000001", "--type", "bodhi_update"
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr and "database outage" in done.stderr
    [result] = results(aq, item="FEDORA-2024-0000000001")
    assert result["outcome"] == "NEEDS_INSPECTION" and "database outage" in result["note"]
    assert comments(aq, "FEDORA-2024-0000000001") == []


def test_a_resultsdb_that_fails_once_loses_nothing(aq):
    requests.post(
        f"{aq['base']}/_control/worlds/{aq['name']}/faults",
        timeout=5,
        json={
            "service": "resultsdb",
            "method": "POST",
            "path": "/results",
            "times": 1,
            "respond": {"status": 503},
        },
    )
    assert (
        aq["run"](
            "run", "--check", "upgradepath", "--item", "FEDORA-2024-0000000003", "--type", "bodhi_update"
        ).returncode
        == 0
    )
    assert len(results(aq, item="FEDORA-2024-0000000003")) == 1


def test_unknown_items_are_usage_errors(aq):
    done = aq["run"]("run", "--check", "upgradepath", "--item", "FEDORA-2024-nope", "--type", "bodhi_update")
    assert done.returncode == 2 and "no such Bodhi update" in done.stderr and "Traceback" not in done.stderr


def test_watch_once_checks_exactly_the_new_items(aq):
    first = aq["run"]("watch", "--once")
    assert first.returncode == 0, first.stderr
    assert "autoqa: 11 new items checked" in first.stdout  # 5 updates in testing, 6 builds in candidate tags
    assert len(results(aq, type="bodhi_update")) >= 5 and len(results(aq, testcases="dist.rpmlint")) == 6
    again = aq["run"]("watch", "--once")
    assert "autoqa: 0 new items checked" in again.stdout
    requests.put(
        f"{aq['base']}/_control/worlds/{aq['name']}",
        timeout=60,
        data=WORLD
        + b"""
  - {alias: FEDORA-2024-0000000006, release: F42, builds: [htop-3.3.1-1.fc42], status: testing}
""",
    )
    third = aq["run"]("watch", "--once")
    assert "autoqa: 1 new items checked" in third.stdout
