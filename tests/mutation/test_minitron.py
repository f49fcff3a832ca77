"""stagingqa mutate on a system it was not written around: minitron's checks, a second repository that
the runner loads from its checkout (nothing installed), mutated at the revision before the known bug."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.systems.minitron import make_minitron, write_staging

pytestmark = pytest.mark.skipif(
    subprocess.run(["/usr/bin/python3", "-c", "import rpm"], capture_output=True).returncode != 0,
    reason="needs the distribution's python3-rpm (scripts/bootstrap test installs it)",
)


def test_mutating_the_checks_component_finds_what_the_four_use_cases_miss(tmp_path):
    system = make_minitron(tmp_path / "repos")
    spec = write_staging(tmp_path, system)
    command = [sys.executable, "-m", "stagingqa", "mutate", "--spec", str(spec), "--component", "checks"]
    done = subprocess.run(
        [*command, "--ref", f"checks={system.good}", "-j", "2", "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # some survive
    report = json.loads(done.stdout)["data"]
    assert report["component"] == "checks" and report["excluded"] == []
    assert len(report["usecases"]) == 4 and report["generated"] == len(report["mutants"]) >= 8
    outcomes = {m["operator"].removeprefix("core/"): m for m in report["mutants"]}
    assert {m["path"] for m in report["mutants"]} == {"upgradepath.py"}
    # never comparing equal versions, the use cases cannot tell `<= 0` from `< 0`
    lte = outcomes["ReplaceComparisonOperator_LtE_Lt"]
    assert lte["outcome"] == "survived" and lte["ran"] and "-            if compare(" in lte["diff"]
    # a loop over the update's builds that never runs lets the downgrade pass: zsh-downgrade kills it
    skipped = [m for m in report["mutants"] if m["operator"] == "core/ZeroIterationForLoop"]
    assert skipped and all(m["outcome"] == "killed" for m in skipped)
    assert all(m["killed_by"] == ["zsh-downgrade"] for m in skipped)
    assert 0 < report["score"] < 1
    # recorded, listed, and nothing left behind
    listed = subprocess.run([*command, "--list"], capture_output=True, text=True, timeout=60)
    assert report["run_id"] in listed.stdout and "finished" in listed.stdout
    envs = subprocess.run(
        [sys.executable, "-m", "stagingqa", "list", "--spec", str(spec)], capture_output=True, text=True
    )
    assert envs.stdout.strip() == "no environments"
    subprocess.run(
        [sys.executable, "-m", "stagingqa", "down", "--all", "--spec", str(spec)], capture_output=True
    )


def test_no_mutant_is_made_when_no_use_case_passes_on_the_revision(tmp_path):
    system = make_minitron(tmp_path / "repos")
    spec = write_staging(tmp_path, system)
    done = subprocess.run(
        [sys.executable, "-m", "stagingqa", "mutate", "--spec", str(spec), "--component", "checks",
         "-k", "tool-1-10"],  # at the checks' head, the known bug fails it
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "error: no use case passes on revision" in done.stderr and "Traceback" not in done.stderr
    assert not list((tmp_path / "state" / "envs").iterdir())
