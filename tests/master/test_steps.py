"""The verify step reads verify's own verdict lines as they come: its summary counts them live."""

from __future__ import annotations

from stagingqa.master.steps import count_verdict, live_summary, staged_revisions
from stagingqa.verifier.reports import line
from stagingqa.verifier.verdict import Status, Verdict


def test_verdict_lines_are_counted_as_they_come():
    counts = {"passed": 0, "failed": 0, "error": 0}
    for status in (Status.PASSED, Status.FAILED, Status.PASSED, Status.ERROR):
        assert count_verdict(line(Verdict(f"case-{status}", "/u.yaml", status, 1.25)), counts)
    assert not count_verdict("run 0123abcd recorded (stagingqa runs show 0123abcd)", counts)
    assert not count_verdict("  expected: results: outcome='PASSED'", counts)
    assert live_summary(counts) == "verifying: 2 passed, 1 failed, 1 errors so far"


def test_the_staged_line_gives_every_components_revision():
    assert staged_revisions("staged bb-verify-3: autoqa=" + "a" * 40) == {"autoqa": "a" * 40}
    assert staged_revisions("staged bb-7: runner=abc checks=def+123") == {
        "runner": "abc",
        "checks": "def+123",
    }
    assert staged_revisions("PASSED   staged-case (1.2 s)") is None
    assert staged_revisions("staged bb-7:") is None
