"""What became of each mutant, and the score of a mutation run; results that serialize themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from stagingqa.mutation.mutants import Mutant


class Outcome(StrEnum):
    """killed: a use case that passes on the revision did not on the mutant; survived: every one still
    passed; equivalent: survived, and a maintainer said why nothing can tell it apart; broken: the
    mutant does not install or its `system.check` fails (no use case could run); timeout: a use case's
    step ran out of time (an endless loop, most often)."""

    KILLED = "killed"
    SURVIVED = "survived"
    EQUIVALENT = "equivalent"
    BROKEN = "broken"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    outcome: Outcome
    seconds: float
    killed_by: tuple[str, ...] = ()  # the use cases that told it apart (the first one, unless --all)
    ran: tuple[str, ...] = ()  # the use cases run on it, in order
    detail: str = ""  # why it is broken, timed out or equivalent; what the killing use case said

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.mutant.to_dict(),
            "outcome": str(self.outcome),
            "seconds": round(self.seconds, 2),
            "killed_by": list(self.killed_by),
            "ran": list(self.ran),
            "detail": self.detail,
        }


@dataclass
class MutationReport:
    run_id: str
    revision: str
    component: str
    usecases: tuple[str, ...]  # those the baseline passed: the ones that can kill
    excluded: tuple[str, ...] = ()  # use cases that did not pass on the revision itself
    results: list[MutantResult] = field(default_factory=list)
    seconds: float = 0.0
    generated: int = 0  # mutants before --max and --sample

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def score(self) -> float | None:
        """Killed among the mutants a use case could tell apart: equivalent and broken ones left out,
        timeouts counted as killed (the system did not finish: a use case noticed)."""
        judged = [r for r in self.results if r.outcome in (Outcome.KILLED, Outcome.SURVIVED, Outcome.TIMEOUT)]
        if not judged:
            return None
        return sum(1 for r in judged if r.outcome != Outcome.SURVIVED) / len(judged)

    @property
    def survivors(self) -> list[MutantResult]:
        return [r for r in self.results if r.outcome == Outcome.SURVIVED]

    def killers(self) -> list[tuple[str, int]]:
        """Use cases by how many mutants they killed, most first."""
        counts: Counter[str] = Counter(name for r in self.results for name in r.killed_by)
        return counts.most_common()

    @property
    def exit_code(self) -> int:
        """0 every mutant killed (or explained), 1 some survived."""
        return 1 if self.survivors else 0

    @property
    def summary(self) -> str:
        score = "no score" if self.score is None else f"score {self.score:.0%}"
        parts = [f"{self.count(o)} {o}" for o in Outcome if self.count(o)]
        return f"{len(self.results)} mutants: {', '.join(parts) or 'none'}; {score} in {self.seconds:.1f} s"

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "revision": self.revision,
            "component": self.component,
            "usecases": list(self.usecases),
            "excluded": list(self.excluded),
            "generated": self.generated,
            "seconds": round(self.seconds, 2),
            "score": self.score,
            "counts": {str(o): self.count(o) for o in Outcome},
            "killers": [{"usecase": name, "killed": n} for name, n in self.killers()],
            "mutants": [r.to_dict() for r in self.results],
        }
