"""stagingqa mutate on examples/autoqa: the first mutants of its upgradepath check against the upgradepath
use cases. The shipped suite kills them, or they are listed as equivalent with why; a killed mutant
stops at its first failing use case; the baseline is an ordinary recorded run."""

from __future__ import annotations

import json
import subprocess
import sys

from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import ROOT, down_all, write_spec

UPGRADEPATH = sorted(str(p) for p in (ROOT / "usecases").glob("upgradepath-*.yaml"))


def test_the_shipped_use_cases_kill_the_upgradepath_mutants_or_explain_them(tmp_path):
    spec = write_spec(tmp_path)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "stagingqa", "mutate", "--spec", str(spec), "--json", "-j", "2",
             "--path", "autoqa/checks/upgradepath.py", "--max", "6", *UPGRADEPATH],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr  # nothing survives
        report = json.loads(done.stdout)["data"]
        assert len(report["usecases"]) == len(UPGRADEPATH) and report["excluded"] == []
        assert report["generated"] > 20 and len(report["mutants"]) == 6
        by_id = {m["id"]: m for m in report["mutants"]}
        assert report["counts"] == {"killed": 4, "survived": 0, "equivalent": 2, "broken": 0, "timeout": 0}
        assert report["score"] == 1.0
        # newest() keeping the later of two equal EVRs: explained, not hidden
        assert (
            by_id["8805ab5d2d"]["outcome"] == "equivalent" and "equal EVRs" in by_id["8805ab5d2d"]["detail"]
        )
        # newest() picking the lowest build of a later release: the use case written for it kills it
        assert by_id["a9695e5242"]["killed_by"] == ["upgradepath-later-release-updated"]
        killed = [m for m in report["mutants"] if m["outcome"] == "killed"]
        for mutant in report["mutants"]:
            assert mutant["path"] == "autoqa/checks/upgradepath.py" and mutant["diff"].startswith("--- a/")
            if mutant["outcome"] == "killed":
                assert mutant["ran"][-1] == mutant["killed_by"][0]  # it stopped at the first
            else:
                assert sorted(mutant["ran"]) == sorted(report["usecases"])  # all ran: none told it apart
        # Stopping at the first failure saves use cases overall. Not per mutant: a mutant one use case
        # alone kills may meet it last, as the order among equals follows measured (noisy) durations.
        assert sum(len(m["ran"]) for m in killed) < len(killed) * len(UPGRADEPATH)
        baseline = open_store(load_spec(spec)).get("latest", heavy=False)
        assert baseline.trigger == "mutate" and baseline.status == "passed"
        assert baseline.revision == report["revision"]
    finally:
        down_all(spec)
