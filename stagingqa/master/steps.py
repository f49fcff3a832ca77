"""Buildbot steps of the verify builder: the verify step publishes counts, test results and run links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from buildbot.plugins import steps
from buildbot.process import logobserver
from buildbot.process.results import FAILURE, SUCCESS
from twisted.internet import defer

SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) errors", re.MULTILINE)
RECORDED = re.compile(r"^run ([0-9a-f]+) recorded", re.MULTILINE)
VERDICT = re.compile(r"^(PASSED|FAILED|ERROR)\s+\S+ \(\d")  # a verdict line, printed as it completes
STAGED = re.compile(r"^staged \S+: (\S+=\S+(?: \S+=\S+)*)$")  # `verify --up`: each component's revision


def staged_revisions(line: str) -> dict[str, str] | None:
    """{component: revision} from `verify --up`'s staged line; None for any other line."""
    found = STAGED.match(line)
    return dict(pair.split("=", 1) for pair in found.group(1).split()) if found else None


def count_verdict(line: str, counts: dict[str, int]) -> bool:
    """Count a verdict line of verify's output; True when it was one."""
    found = VERDICT.match(line)
    if found:
        counts[found.group(1).lower()] += 1
    return bool(found)


def live_summary(counts: dict[str, int]) -> str:
    return f"verifying: {counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors so far"


def junit_cases(text: str) -> Iterator[tuple[str, bool, float]]:
    """(name, passed, seconds) of every testcase in a JUnit report."""
    for case in ET.fromstring(text).iter("testcase"):  # noqa: S314 - our own verify wrote it
        broken = case.find("failure") is not None or case.find("error") is not None
        yield case.get("name") or "", not broken, float(case.get("time") or 0)


class VerifyStep(steps.ShellCommand):
    """`stagingqa verify --up`: the revisions it staged as got_revision (as soon as they are known), then
    the counts as the step summary, the JUnit report as Buildbot test results, and a link to the run in
    the results UI (the run also links back to this build). With `codebases`, got_revision is a dict
    by codebase (named after the components), as Git steps of several codebases set it."""

    def __init__(self, junit: str, ui_url: str, www_url: str, codebases: bool = False, **kwargs: Any) -> None:
        super().__init__(logfiles={"junit": junit}, **kwargs)
        self.ui_url = ui_url
        self.www_url = www_url
        self.codebases = codebases
        self.junit = logobserver.BufferLogObserver()
        self.stdio = logobserver.BufferLogObserver()
        self.addLogObserver("junit", self.junit)
        self.addLogObserver("stdio", self.stdio)
        # each verdict is in the step's summary as it arrives, not only when the step ends (the worker
        # sends output in batches, every few seconds: a long verify updates at that pace)
        self.live = {"passed": 0, "failed": 0, "error": 0}
        self.addLogObserver("stdio", logobserver.LineConsumerLogObserver(self._verdicts))

    def _verdicts(self) -> Any:
        while True:
            _stream, line = yield
            if count_verdict(line, self.live):
                self.updateSummary()
                continue
            staged = staged_revisions(line)
            if staged:
                got = staged if self.codebases else next(iter(staged.values()))
                self.setProperty("got_revision", got, "VerifyStep")

    def getCurrentSummary(self) -> dict[str, str]:
        if not any(self.live.values()):
            return super().getCurrentSummary()
        return {"step": live_summary(self.live)}

    @defer.inlineCallbacks
    def run(self) -> Any:
        builderid = yield self.build.getBuilderId()
        number = self.build.number
        self.command: list[Any] = [
            *self.command,
            "--build-url",
            f"{self.www_url}#/builders/{builderid}/builds/{number}",
        ]
        result = yield super().run()
        output = self.stdio.getStdout()
        recorded = RECORDED.search(output)
        if recorded:
            run_id = recorded.group(1)
            self.setProperty("stagingqa_run", run_id, "VerifyStep")
            yield self.addURL(f"results UI: run {run_id}", f"{self.ui_url}runs/{run_id}")
        try:
            cases = list(junit_cases(self.junit.getStdout()))
        except ET.ParseError:
            cases = []
        if cases:
            set_id = yield self.addTestResultSet("use cases", "pass_fail", "boolean")
            for name, passed, seconds in cases:
                yield self.addTestResult(
                    set_id, "1" if passed else "0", test_name=name, duration_ns=int(seconds * 1e9)
                )
        counts = SUMMARY.findall(output)
        if counts:
            passed, failed, errors = counts[-1]
            self.descriptionDone = [f"{passed} passed, {failed} failed, {errors} errors"]
            self.setProperty("usecases_failed", int(failed) + int(errors), "VerifyStep")
        elif not any(staged_revisions(line) for line in output.splitlines()):
            self.descriptionDone = ["staging failed"]  # its error ends the log
        elif result == SUCCESS:
            return FAILURE  # it said nothing we understand
        return result
