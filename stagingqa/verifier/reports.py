"""Rendering a verify run: terminal lines, JUnit XML, JSON (the run itself is plain data)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from stagingqa.verifier.session import RunReport
from stagingqa.verifier.verdict import Failure, Status, Verdict

OUTPUT_LINES = 8


def line(verdict: Verdict) -> str:
    return f"{verdict.status.upper():7} {verdict.name} ({verdict.seconds:.2f} s)"


def failure_lines(failures: Iterable[Failure]) -> list[str]:
    """Each failed expectation, what was found instead, and the closest candidates."""
    rows = []
    for failure in failures:
        rows.append(f"  expected: {failure.expectation}")
        rows.append(f"     found: {failure.detail}")
        rows += [f"            closest: {c}" for c in failure.candidates]
    return rows


def explanation(verdict: Verdict) -> list[str]:
    """Why a use case failed: each expectation, what was found, the closest candidates, the output of
    a step that failed (once), the journal; and the files its steps created where the spec watches."""
    rows = [f"  {row}" for row in (verdict.error or "").splitlines()]
    if verdict.status == Status.ERROR and not verdict.failures:
        return rows + created_lines(verdict)
    rows += failure_lines(verdict.failures)
    rows += output_lines(verdict)
    if verdict.journal:
        rows.append("  journal:")
        rows += [f"    {entry}" for entry in verdict.journal]
    return rows + created_lines(verdict)


def output_lines(verdict: Verdict) -> list[str]:
    """The last lines of each step that failed, once, labelled as its output."""
    rows = []
    for n in sorted({f.step for f in verdict.failures if f.step is not None}):
        if n < len(verdict.steps):
            tail = verdict.steps[n].output.strip().splitlines()[-OUTPUT_LINES:]
            rows.append(f"  output of step {n + 1} (last {len(tail)} lines):")
            rows += [f"    {line}" for line in tail]
    return rows


def created_lines(verdict: Verdict) -> list[str]:
    """Files the steps created outside the environment, in the folders the spec watches."""
    if not verdict.created:
        return []
    return ["  files created in watched folders:", *(f"    {path}" for path in verdict.created)]


def junit(report: RunReport, path: Path) -> None:
    suite = ET.Element(
        "testsuite",
        name="stagingqa",
        tests=str(len(report.verdicts)),
        failures=str(report.count("failed")),
        errors=str(report.count("error")),
        time=f"{report.seconds:.3f}",
    )
    for verdict in report.verdicts:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="usecases",
            name=verdict.name,
            time=f"{verdict.seconds:.3f}",
            file=verdict.path,
        )
        if verdict.status != "passed":
            element = ET.SubElement(
                case,
                "failure" if verdict.status == "failed" else "error",
                message=(
                    verdict.failures[0].expectation
                    if verdict.failures
                    else (verdict.error or "").splitlines()[0]
                    if verdict.error
                    else ""
                ),
            )
            element.text = "\n".join(explanation(verdict))
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


RECORD_ONLY = {"world_document", "state_after", "requests", "usecase_text"}  # in the run record, not here


def as_data(report: RunReport) -> dict[str, Any]:
    """The run as `verify --json` writes it in its envelope: the verdicts, without what only the record
    keeps."""
    return {
        "run": report.run_id,
        "environment": report.environment,
        "revision": report.revision,
        "seconds": report.seconds,
        "summary": report.summary,
        "verdicts": [
            {
                **{k: v for k, v in asdict(verdict).items() if k not in RECORD_ONLY},
                "posted": verdict.posted,
                "signature": verdict.signature,
            }
            for verdict in report.verdicts
        ],
    }
