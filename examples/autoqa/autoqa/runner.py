"""Run one check on one item: resolve it, check it, post the results and the comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autoqa.checks import Finding, registry
from autoqa.errors import AutoQAError, ItemNotFound, ServiceError
from autoqa.items import Target, resolve
from autoqa.report import comment_on_update, post_results
from autoqa.services import Services


@dataclass
class Outcome:
    check: str
    item: str
    findings: list[Finding]
    results: list[dict[str, Any]]
    error: str | None = None


def run_check(services: Services, check: str, kind: str, item: str) -> Outcome:
    """A failing Koji or Bodhi becomes a result with the error outcome (if ResultsDB is up), not a crash."""
    checks = registry()
    if check not in checks:
        raise ItemNotFound(f"unknown check {check!r}; known: {', '.join(sorted(checks))}")
    try:
        target = resolve(services, kind, item)
        findings = checks[check](services, target)
    except ServiceError as exc:
        finding = Finding("noarch", services.config.error_outcome, f"check could not run: {exc}")
        results = post_results(services, check, _bare_target(kind, item), [finding])
        return Outcome(check, item, [finding], results, error=str(exc))
    results = post_results(services, check, target, findings)
    try:
        comment_on_update(services, check, target, findings, results)
    except AutoQAError as exc:
        return Outcome(check, item, findings, results, error=f"results posted, comment failed: {exc}")
    return Outcome(check, item, findings, results)


def _bare_target(kind: str, item: str) -> Target:
    from autoqa.items import Release

    return Target(kind, item, Release("", 0, "", "", "", "", ""), [])
