"""A recorded run and its use cases, as plain data (what the CLI, the UI and Buildbot steps read)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from stagingqa.errors import InputError


@dataclass(frozen=True)
class UseCaseRecord:
    name: str
    path: str
    status: str
    seconds: float
    world_name: str
    usecase_text: str
    world: dict[str, Any]
    faults: list[dict[str, Any]]
    state_after: dict[str, Any]
    journal: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    failures: list[dict[str, Any]]
    error: str | None
    results: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    created: list[str] = field(default_factory=list)
    world_digest: str | None = None  # None: recorded before 0003
    tags: list[str] = field(default_factory=list)

    def world_at(self, when: str) -> dict[str, Any]:
        """The world as it was 'before' the run's steps or 'after' them."""
        if when not in ("before", "after"):
            raise InputError(f"a recorded world is 'before' or 'after' the run, not {when!r}")
        return self.world if when == "before" else self.state_after

    @classmethod
    def from_row(cls, row: Any) -> UseCaseRecord:
        # a light row (the run page's) leaves the heavy columns out: they read as empty
        empty: dict[str, Any] = {
            "world": {},
            "state_after": {},
            "journal": [],
            "steps": [],
            "usecase_text": "",
            "created": [],
            "world_digest": None,
            "tags": [],
        }
        values = {name: row[name] if name in row else empty[name] for name in cls.__dataclass_fields__}
        return cls(**{**values, "created": values["created"] or [], "tags": values["tags"] or []})


SEVERITY = {"failed": 0, "error": 1, "interrupted": 2, "passed": 3}


def failures_first(cases: list[UseCaseRecord]) -> list[UseCaseRecord]:
    """Use cases in the order a maintainer reads them: failures, errors, interrupted, then passed."""
    return sorted(cases, key=lambda case: (SEVERITY.get(case.status, len(SEVERITY)), case.name))


@dataclass(frozen=True)
class RunRecord:
    id: str
    started: float
    finished: float | None
    status: str
    revision: str
    ref: str
    environment: str
    spec_path: str
    spec_text: str
    trigger: str
    build_url: str | None
    host: str
    pid: int
    selection: dict[str, Any]
    passed: int
    failed: int
    errors: int
    seconds: float | None
    revisions: dict[str, str] = field(default_factory=dict)  # every component's (empty: before 0002)
    usecases: list[UseCaseRecord] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: Any, usecases: list[UseCaseRecord] | None = None) -> RunRecord:
        fields = {
            name: row[name] for name in cls.__dataclass_fields__ if name not in ("usecases", "revisions")
        }
        return cls(**fields, revisions=row["revisions"] or {}, usecases=usecases or [])

    @property
    def other_revisions(self) -> dict[str, str]:
        """The revisions of the components after the primary one (whose is `revision`), in spec order."""
        return dict(list(self.revisions.items())[1:])

    @property
    def started_text(self) -> str:
        return datetime.datetime.fromtimestamp(self.started, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")

    @property
    def counts(self) -> str:
        return f"{self.passed} passed, {self.failed} failed, {self.errors} errors"

    def usecase(self, name: str | None) -> UseCaseRecord:
        """The named use case; without a name, the run's only use case or its first failure."""
        if name is not None:
            for case in self.usecases:
                if case.name == name:
                    return case
            known = ", ".join(c.name for c in self.usecases) or "none"
            raise InputError(f"run {self.id} has no use case {name!r}; it has: {known}")
        failing = [c for c in self.usecases if c.status != "passed"]
        if len(self.usecases) == 1 or failing:
            return (failing or self.usecases)[0]
        raise InputError(f"run {self.id} verified {len(self.usecases)} use cases: name one with --usecase")
