"""A use case's verdict as plain data: its status, its steps, what it posted, and the keys two runs are
compared on. Pure: no I/O, imported by the verifier, the run records and everything above them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """How a use case (or a whole run) ended; a str, so it compares and serializes as its value."""

    PASSED = "passed"
    FAILED = "failed"  # an expectation did not hold
    ERROR = "error"  # it could not run (a broken use case, a dead service)
    INTERRUPTED = "interrupted"  # Ctrl-C, SIGTERM, a killed run
    OK = "ok"  # a command that judges nothing (up, list, runs show...) did what it was asked

    @property
    def exit_code(self) -> int:
        """The exit status a command reports for a run that ended so (interrupted ones raise instead)."""
        return {Status.PASSED: 0, Status.OK: 0, Status.FAILED: 1}.get(self, 2)


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold, what was found instead, and the closest candidates."""

    expectation: str
    detail: str
    candidates: tuple[str, ...] = ()
    step: int | None = None  # a step's own expectation (exit, output): its output explains it


@dataclass(frozen=True)
class StepOutcome:
    """One step as it ran: its command, exit status (None: timed out), time and output."""

    command: str
    exit: int | None
    seconds: float
    output: str


@dataclass(frozen=True)
class Verdict:
    """How one use case went, with everything a run record keeps of it."""

    name: str
    path: str
    status: Status
    seconds: float
    failures: tuple[Failure, ...] = ()
    steps: tuple[StepOutcome, ...] = ()
    journal: tuple[str, ...] = ()  # the lines that explain a failure
    error: str | None = None
    world: str = ""
    usecase_text: str = ""
    world_document: dict[str, Any] = field(default_factory=dict)  # the world as loaded, before the steps
    faults: tuple[dict[str, Any], ...] = ()
    state_after: dict[str, Any] = field(default_factory=dict)  # the world exported after the steps
    requests: tuple[dict[str, Any], ...] = ()  # the whole journal
    results: tuple[dict[str, Any], ...] = ()  # posted during the run
    comments: tuple[dict[str, Any], ...] = ()  # posted during the run
    created: tuple[str, ...] = ()  # files the steps created in the spec's watch_paths

    @property
    def posted(self) -> dict[str, int]:
        return {"results": len(self.results), "comments": len(self.comments)}

    @property
    def signature(self) -> tuple[tuple[str, ...], ...]:
        """What was posted, without ids and times, for comparisons."""
        return signature(self.results, self.comments)


def result_key(result: dict[str, Any]) -> tuple[str, ...]:
    """A posted result without its id, time and URLs: what two runs can be compared on."""
    data = result.get("data", {})
    return (
        "result",
        result["testcase"],
        result["outcome"],
        ",".join(data.get("item", [])),
        ",".join(sorted(data.get("arch", []))),
        result.get("note") or "",
    )


def comment_key(comment: dict[str, Any]) -> tuple[str, ...]:
    """A posted comment with its URLs (which carry ids and ports) blanked out."""
    text = re.sub(r"https?://\S+", "<url>", comment["text"])
    return ("comment", comment["update"], comment["user"], str(comment["karma"]), text)


def signature(
    results: Iterable[dict[str, Any]], comments: Iterable[dict[str, Any]]
) -> tuple[tuple[str, ...], ...]:
    """Posted results and comments as sorted tuples: equal runs give equal signatures."""
    return tuple(sorted(map(result_key, results)) + sorted(map(comment_key, comments)))


def overall(statuses: Iterable[Status | str]) -> Status:
    """A run's status from its use cases': any error, else any failure, else passed."""
    seen = set(statuses)
    if Status.ERROR in seen:
        return Status.ERROR
    return Status.FAILED if Status.FAILED in seen else Status.PASSED
