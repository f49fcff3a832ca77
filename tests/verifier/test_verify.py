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
def spec(staging_spec):
    return staging_spec


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


def test_a_usecase_written_outside_the_project(spec, tmp_path):
    # its own folder, its own base world (a copy), an overlay adding an update, and a command step
    mine = tmp_path / "their-usecases"
    (mine / "worlds").mkdir(parents=True)
    (mine / "worlds" / "base.yaml").write_text((ROOT / "usecases/worlds/autoqa.yaml").read_text())
    (mine / "downgrade.yaml").write_text(
        "name: their-downgrade\n"
        "world:\n"
        "  base: worlds/base.yaml\n"
        "  overlay:\n"
        "    builds: [{nvr: htop-3.0.0-1.fc41, tags: [f41-updates-candidate]}]\n"
        "    updates: [{alias: FEDORA-2024-0000000099, release: F41, builds: [htop-3.0.0-1.fc41],"
        " status: testing, submitter: packager1}]\n"
        "steps:\n"
        "  - {command: 'autoqa run --check upgradepath --item FEDORA-2024-0000000099 --type bodhi_update',"
        " output: ['FAILED']}\n"
        "expect:\n"
        "  results: [{testcase: dist.upgradepath, outcome: FAILED, item: FEDORA-2024-0000000099, count: 1}]\n"
        "  comments: [{update: FEDORA-2024-0000000099, user: autoqa, text: 'upgradepath test FAILED'}]\n"
    )
    done = verify(spec, str(mine), "--json", str(tmp_path / "run.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED  their-downgrade" in done.stdout


def test_verify_revives_an_environment_whose_mock_host_died(spec, tmp_path):
    import json
    import os
    import signal

    up = subprocess.run(
        [sys.executable, "-m", "stagingqa", "up", "--spec", str(spec), "--name", "old", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert up.returncode == 0, up.stderr
    host = json.loads((tmp_path / "state" / "mockhost" / "host.json").read_text())
    os.killpg(host["pid"], signal.SIGKILL)  # as a reboot would
    done = verify(spec, str(CASES[0]), "--env", "old")
    assert done.returncode == 0, done.stdout + done.stderr
    env = json.loads((tmp_path / "state" / "envs" / "old" / "env.json").read_text())
    from stagingqa.control import ControlClient

    assert ControlClient(env["mock_base"]).has_world(env["world"])  # a new host serves its world again


def test_report_paths_are_checked_before_anything_runs(spec, tmp_path):
    for option in ("--junit", "--json"):
        done = verify(spec, str(CASES[0]), option, str(tmp_path / "no-such-folder" / "out"))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr == (
            f"error: {option} {tmp_path / 'no-such-folder' / 'out'}: folder {tmp_path / 'no-such-folder'} "
            "does not exist\n"
        )
    assert not (tmp_path / "state" / "envs").exists()  # nothing was staged


def test_keep_without_env_keeps_the_environment_and_says_how_to_remove_it(spec):
    import json

    done = verify(spec, str(CASES[0]), "--keep")
    assert done.returncode == 0, done.stdout + done.stderr
    [kept] = [line for line in done.stdout.splitlines() if line.startswith("kept: environment ")]
    name = kept.split()[2]
    assert f"(stagingqa down {name} removes it all)" in kept
    assert f"{CASES[0].stem}: world http://127.0.0.1:" in done.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "stagingqa", "list", "--json", "--spec", str(spec)],
        capture_output=True,
        text=True,
    )
    assert [e["name"] for e in json.loads(listed.stdout)["data"]] == [name]


def test_up_stages_a_named_environment_says_its_revisions_and_leaves_it(spec, tmp_path):
    """`verify --up NAME`: `up --name NAME` and `verify --env NAME` in one process (Buildbot's verify step);
    an older JUnit report is gone even when staging fails."""
    import json

    from stagingqa.master.steps import staged_revisions

    junit = tmp_path / "junit.xml"
    junit.write_text("<testsuite name='an older run'/>")
    failed = verify(spec, str(CASES[0]), "--up", "bb-1", "--ref", "no-such-revision", "--junit", str(junit))
    assert failed.returncode == 2 and "Traceback" not in failed.stderr and "no-such-revision" in failed.stderr
    assert not junit.exists() and not (tmp_path / "state" / "envs" / "bb-1").exists()

    head = subprocess.run(
        ["git", "-C", str(tmp_path / "state" / "repos" / "autoqa"), "rev-parse", "master~3"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    done = verify(spec, str(CASES[0]), "--up", "bb-1", "--ref", "master~3", "--junit", str(junit))
    assert done.returncode == 1, done.stdout + done.stderr  # the upgradepath bug of master~3
    [staged] = [line for line in done.stdout.splitlines() if line.startswith("staged ")]
    assert staged_revisions(staged) == {"autoqa": head}
    assert "install done" in done.stderr  # the steps of `up`, as `up` shows them
    assert ET.parse(junit).getroot().get("failures") == "1"
    listed = subprocess.run(
        [sys.executable, "-m", "stagingqa", "list", "--json", "--spec", str(spec)],
        capture_output=True,
        text=True,
    )
    [env] = json.loads(listed.stdout)["data"]
    assert (env["name"], env["revision"]) == ("bb-1", head)

    both = verify(spec, str(CASES[0]), "--up", "bb-2", "--env", "bb-1")
    assert both.returncode == 2 and "give only one" in both.stderr
    compared = verify(spec, str(CASES[0]), "--up", "bb-2", "--compare-upgrade", "master~1")
    assert compared.returncode == 2 and "--up does not apply" in compared.stderr
