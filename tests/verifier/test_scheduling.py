"""The verifier starts the longest use cases first (by earlier runs' durations), and reports verdicts in the
use cases' order whatever order they ran in."""

from __future__ import annotations

import threading

from stagingqa.verifier.runner import Steps
from stagingqa.verifier.session import run_all
from stagingqa.verifier.usecase import load_usecase
from stagingqa.verifier.verdict import Status, Verdict
from tests.conftest import ROOT

NAMES = ["upgradepath-passes", "koji-slow-answers", "depcheck-missing-requires", "rpmlint-clean-build"]


def test_the_longest_known_start_first_unknown_before_them_and_verdicts_keep_their_order():
    work = [load_usecase(ROOT / "usecases" / f"{name}.yaml") for name in NAMES]
    broken = Verdict("broken", "/u/broken.yaml", Status.ERROR, 0.0)
    started: list[str] = []
    lock = threading.Lock()

    def run(item):
        name = item.name if isinstance(item, Verdict) else item.usecase.name
        with lock:
            started.append(name)
        return item if isinstance(item, Verdict) else Verdict(name, str(item.path), Status.PASSED, 0.1)

    known = {"upgradepath-passes": 0.8, "koji-slow-answers": 3.0, "depcheck-missing-requires": 0.9}
    verdicts = run_all([*work, broken], run, 1, Steps(), known)
    assert started == [
        "rpmlint-clean-build",  # never ran before: it may be the longest
        "koji-slow-answers",
        "depcheck-missing-requires",
        "upgradepath-passes",
        "broken",  # already its verdict
    ]
    assert [v.name for v in verdicts] == [*NAMES, "broken"]
    assert run_all(work, run, 1, Steps(), None) and started[-4:] == NAMES  # no history: as given
