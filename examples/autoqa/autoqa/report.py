"""Posting what a check found: one ResultsDB result per item and arch, one Bodhi comment per update."""

from __future__ import annotations

from typing import Any

from autoqa.checks import Finding
from autoqa.items import Target
from autoqa.services import Services

ORDER = ("PASSED", "INFO", "NEEDS_INSPECTION", "FAILED")  # the worst one sums up a check


def post_results(
    services: Services, check: str, target: Target, findings: list[Finding]
) -> list[dict[str, Any]]:
    """Post each finding to ResultsDB as dist.<check> with item, type and arch data."""
    return [
        services.post_result(
            outcome=finding.outcome,
            testcase=f"dist.{check}",
            note=finding.note,
            ref_url=None,
            item=target.item,
            type=target.type,
            arch=finding.arch.split(","),
            details="\n".join(finding.details[:50]),
        )
        for finding in findings
    ]


def overall(findings: list[Finding]) -> str:
    return max((f.outcome for f in findings), key=lambda o: ORDER.index(o) if o in ORDER else len(ORDER))


def comment_text(check: str, findings: list[Finding], log_url: str) -> str:
    """The historical AutoQA comment format (karma 0, informative only)."""
    arches = ", ".join(sorted({a for f in findings for a in f.arch.split(",")}))
    return (
        f"AutoQA: {check} test {overall(findings)} on {arches}. Result log:\n{log_url}\n"
        "(results are informative only)"
    )


def comment_on_update(
    services: Services, check: str, target: Target, findings: list[Finding], results: list[dict[str, Any]]
) -> None:
    """One comment per check per update, pointing at the first result it posted."""
    if target.type != "bodhi_update" or not results:
        return
    text = comment_text(check, findings, results[0]["href"])
    services.post_comment(target.item, text)
