"""What changed between two recorded runs, use case by use case: verdicts, results and comments posted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from stagingqa.runs.records import RunRecord, UseCaseRecord
from stagingqa.verifier.verdict import comment_key, result_key


@dataclass(frozen=True)
class UseCaseDiff:
    name: str
    status_a: str | None  # None: not in that run
    status_b: str | None
    results_only_a: list[tuple[str, ...]] = field(default_factory=list)
    results_only_b: list[tuple[str, ...]] = field(default_factory=list)
    comments_only_a: list[tuple[str, ...]] = field(default_factory=list)
    comments_only_b: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status_a != self.status_b or any(
            (self.results_only_a, self.results_only_b, self.comments_only_a, self.comments_only_b)
        )


@dataclass(frozen=True)
class RunDiff:
    a: RunRecord
    b: RunRecord
    usecases: list[UseCaseDiff]

    @property
    def changed(self) -> list[UseCaseDiff]:
        return [u for u in self.usecases if u.changed]


def _only(mine: list[tuple[str, ...]], theirs: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """What `mine` has more of than `theirs` (a multiset difference: a duplicate counts)."""
    return sorted((Counter(mine) - Counter(theirs)).elements())


def diff_usecase(name: str, a: UseCaseRecord | None, b: UseCaseRecord | None) -> UseCaseDiff:
    results_a = [result_key(r) for r in (a.results if a else [])]
    results_b = [result_key(r) for r in (b.results if b else [])]
    comments_a = [comment_key(c) for c in (a.comments if a else [])]
    comments_b = [comment_key(c) for c in (b.comments if b else [])]
    return UseCaseDiff(
        name,
        a.status if a else None,
        b.status if b else None,
        _only(results_a, results_b),
        _only(results_b, results_a),
        _only(comments_a, comments_b),
        _only(comments_b, comments_a),
    )


def diff_runs(a: RunRecord, b: RunRecord) -> RunDiff:
    mine = {u.name: u for u in a.usecases}
    theirs = {u.name: u for u in b.usecases}
    names = sorted(set(mine) | set(theirs))
    return RunDiff(a, b, [diff_usecase(n, mine.get(n), theirs.get(n)) for n in names])
