"""Run records end to end with real environments of examples/autoqa: recorded verify runs, show and diff,
reproduce (same failure, same posted results), capture (passes verify as written), bisect, interruptions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from stagingqa.control import ControlClient
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from stagingqa.verifier.verdict import comment_key, result_key
from tests.conftest import ROOT

UPGRADEPATH = str(ROOT / "usecases" / "upgradepath-1.10-newer-than-1.9.yaml")
PASSES = str(ROOT / "usecases" / "upgradepath-passes.yaml")


def stagingqa(spec, *args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args, "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def buggy_run(staging_spec):
    """A recorded run at master~3, where upgradepath compares versions as strings."""
    done = stagingqa(staging_spec, "verify", UPGRADEPATH, PASSES, "--ref", "master~3")
    assert done.returncode == 1, done.stdout + done.stderr
    return open_store(load_spec(staging_spec)).get("latest")


def keys(results, comments):
    return sorted(map(result_key, results)) + sorted(map(comment_key, comments))


def test_runs_are_listed_shown_and_diffed(staging_spec, buggy_run):
    assert stagingqa(staging_spec, "verify", UPGRADEPATH, PASSES).returncode == 0
    listed = stagingqa(staging_spec, "runs", "list").stdout.splitlines()
    assert len(listed) == 2 and "passed" in listed[0] and "failed" in listed[1]
    shown = stagingqa(staging_spec, "runs", "show", buggy_run.id[:6])
    assert f"run {buggy_run.id}: failed, 1 passed, 1 failed, 0 errors" in shown.stdout
    assert "outcome FAILED, expected PASSED" in shown.stdout
    diff = stagingqa(staging_spec, "runs", "diff", buggy_run.id, "latest").stdout
    assert "upgradepath-1.10-newer-than-1.9: failed -> passed" in diff
    assert "  - result | dist.upgradepath | FAILED | FEDORA-2024-0000000003" in diff
    assert "  + result | dist.upgradepath | PASSED | FEDORA-2024-0000000003" in diff
    assert diff.strip().endswith("1 use cases changed, 1 the same")
    as_json = json.loads(stagingqa(staging_spec, "runs", "show", "latest", "--json").stdout)["data"]
    case = as_json["usecases"][0]
    assert case["world"]["name"] and case["state_after"]["results"] and case["journal"] and case["steps"]


def test_reproducing_a_failed_run_gives_the_same_failure(staging_spec, buggy_run):
    case = buggy_run.usecase(None)
    assert case.name == "upgradepath-1.10-newer-than-1.9" and case.status == "failed"
    done = stagingqa(staging_spec, "reproduce", buggy_run.id, "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["data"]
    assert found["revision"] == buggy_run.revision and found["at"] == "before"
    # the printed script reruns the exact steps against the rebuilt world
    rerun = subprocess.run(["sh", found["script"]], capture_output=True, text=True, timeout=120)
    assert "exit 0" in rerun.stdout, rerun.stdout + rerun.stderr
    client = ControlClient(found["urls"]["koji"].split("/w/")[0])
    export = client.export(found["world"])
    seeded = len(case.world.get("results", []))
    posted = export["results"][seeded:]
    comments = [
        {"update": u["alias"], "user": c["user"], "text": c["text"], "karma": c["karma"]}
        for u in export["updates"]
        for c in u.get("comments", [])[
            len(next(w for w in case.world["updates"] if w["alias"] == u["alias"]).get("comments", [])) :
        ]
    ]
    assert keys(posted, comments) == keys(case.results, case.comments)
    # and --rerun shows the same verdict and explanation, in a second reproduction
    again = stagingqa(staging_spec, "reproduce", buggy_run.id, "--rerun")
    assert again.returncode == 1
    assert "FAILED  upgradepath-1.10-newer-than-1.9" in again.stdout
    assert "outcome FAILED, expected PASSED" in again.stdout


def test_reproducing_after_the_run_has_the_posted_results(staging_spec, buggy_run):
    done = stagingqa(
        staging_spec, "reproduce", buggy_run.id, "--usecase", "upgradepath-passes", "--at", "after", "--json"
    )
    found = json.loads(done.stdout)["data"]
    export = ControlClient(found["urls"]["koji"].split("/w/")[0]).export(found["world"])
    case = buggy_run.usecase("upgradepath-passes")
    assert len(export["results"]) == len(case.state_after["results"]) >= 1


def test_a_captured_run_passes_verify_as_written(staging_spec, buggy_run, tmp_path):
    out = tmp_path / "mine" / "captured.yaml"
    done = stagingqa(
        staging_spec,
        "capture",
        buggy_run.id,
        "--usecase",
        "upgradepath-1.10-newer-than-1.9",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "outcome: FAILED" in out.read_text()
    at_bug = stagingqa(staging_spec, "verify", str(out), "--ref", buggy_run.revision)
    assert at_bug.returncode == 0, at_bug.stdout + at_bug.stderr
    fixed = stagingqa(staging_spec, "verify", str(out), "--ref", "master")
    assert fixed.returncode == 1 and "outcome PASSED, expected FAILED" in fixed.stdout


def test_capture_of_a_live_world(staging_spec, buggy_run, tmp_path):
    found = json.loads(stagingqa(staging_spec, "reproduce", buggy_run.id, "--json").stdout)["data"]
    out = tmp_path / "world-captured.yaml"
    done = stagingqa(
        staging_spec,
        "capture",
        found["world"],
        "--usecase",
        "upgradepath-1.10-newer-than-1.9",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    verified = stagingqa(staging_spec, "verify", str(out), "--env", found["environment"])
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_bisect_names_the_commit_that_introduced_the_bug(staging_spec):
    done = stagingqa(
        staging_spec,
        "bisect",
        "--usecase",
        "depcheck-satisfied-by-same-update",
        "--good",
        "master~5",
        "--bad",
        "master~1",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["data"]
    assert found["subject"] == "depcheck: check each build against the repository alone"
    assert found["candidates"] == 4 and len(found["tested"]) == 4  # the two ends, then two steps
    assert any("1 unsatisfied requires" in row for row in found["failure"])
    text = stagingqa(
        staging_spec,
        "bisect",
        "--usecase",
        "upgradepath-1.10-newer-than-1.9",
        "--good",
        "master~5",
        "--bad",
        "master~3",
    )
    assert "upgradepath: compare versions without rpm's rules" in text.stdout
    wrong = stagingqa(
        staging_spec, "bisect", "--usecase", "upgradepath-passes", "--good", "master~5", "--bad", "master"
    )
    assert wrong.returncode == 2 and "passes at the bad revision master" in wrong.stderr


def test_an_interrupted_run_is_recorded_as_interrupted(staging_spec, tmp_path):
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "worlds").mkdir()
    (slow / "worlds" / "w.yaml").write_text((ROOT / "usecases/worlds/autoqa.yaml").read_text())
    for n, seconds in enumerate([0, 60, 60]):
        (slow / f"s{n}.yaml").write_text(
            f"name: s{n}\nworld: {{base: worlds/w.yaml}}\nsteps: [{{command: 'sleep {seconds}'}}]\n"
        )
    up = stagingqa(staging_spec, "up", "--name", "e")
    assert up.returncode == 0, up.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "stagingqa", "verify", str(slow), "--env", "e", "--spec", str(staging_spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    store = open_store(load_spec(staging_spec))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        runs = store.list()
        if runs and runs[0].passed == 1:
            break
        time.sleep(0.1)
    time.sleep(0.5)  # s1 is sleeping now
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert time.monotonic() - started < 15  # the sleeping step was killed, not waited for
    assert proc.returncode == 143
    run = store.get("latest")
    assert run.status == "interrupted" and run.passed == 1
    assert [u.name for u in run.usecases if u.status == "passed"] == ["s0"]
    # a run killed outright (no chance to write) is found interrupted on the next read
    killed = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stagingqa",
            "verify",
            str(slow / "s1.yaml"),
            "--env",
            "e",
            "--spec",
            str(staging_spec),
        ],
    )
    while len(store.list()) < 2:
        time.sleep(0.1)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    assert store.get("latest").status == "interrupted"
