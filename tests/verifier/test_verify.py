"""stagingqa verify end to end: pristine environments of examples/autoqa at a good and at buggy revisions."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT

CASES = [
    ROOT / "usecases" / f"{name}.yaml"
    for name in (
        "upgradepath-1.10-newer-than-1.9",
        "depcheck-satisfied-by-same-update",
        "comment-format-and-karma",
    )
]


@pytest.fixture
def spec(tmp_path):
    text = (ROOT / "staging.yaml").read_text()
    text = text.replace(
        "world: examples/worlds/fedora-basic.yaml", f"world: {ROOT / 'examples/worlds/fedora-basic.yaml'}"
    )
    text = text.replace("state: .stagingqa", f"state: {tmp_path / 'state'}")
    path = tmp_path / "staging.yaml"
    path.write_text(text)
    yield path
    subprocess.run(
        [sys.executable, "-m", "stagingqa", "down", "--all", "--spec", str(path)], capture_output=True
    )


def verify(spec, *args):
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", "verify", "--spec", str(spec), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_good_revision_passes(spec, tmp_path):
    done = verify(spec, *map(str, CASES), "-j", "3", "--junit", str(tmp_path / "junit.xml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("3 passed, 0 failed, 0 errors")
    suite = ET.parse(tmp_path / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "0", "0")
    assert list((tmp_path / "state" / "envs").iterdir()) == []  # the environment it made is gone


@pytest.mark.parametrize(
    "revision, failing, explanation",
    [
        ("master~3", "upgradepath-1.10-newer-than-1.9", "outcome FAILED, expected PASSED"),
        ("master~1", "depcheck-satisfied-by-same-update", "note='1 unsatisfied requires'"),
    ],
)
def test_a_known_bug_fails_the_right_usecase(spec, revision, failing, explanation):
    done = verify(spec, *map(str, CASES), "--ref", revision, "-j", "3")
    assert done.returncode == 1, done.stdout + done.stderr
    failed = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("FAILED")]
    assert failed == [failing]
    assert explanation in done.stdout and "journal:" in done.stdout


def test_a_broken_usecase_is_an_error(spec, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nworld: {base: nowhere.yaml}\nsteps: [{command: 'true'}]\n")
    done = verify(spec, str(broken))
    assert done.returncode == 2 and "ERROR   broken" in done.stdout and "broken.yaml:2" in done.stdout


def test_compare_upgrade_finds_the_same_results_after_an_upgrade_from_a_buggy_revision(spec):
    # master~3 posts FAILED for this use case; only a real upgrade to master makes both runs post the same
    done = verify(spec, str(CASES[0]), "--compare-upgrade", "master~3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "upgraded from master~3" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "upgrade comparison: 1 use cases post the same, 0 differ"
