"""Which use cases to run on a mutant first: those whose journal on the revision touched the service calls
the mutated code names, and those that run the mutated module's check; the quickest first among equals.
A mutant stops at its first failing use case, so a good order is most of the saving."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from stagingqa.mutation.mutants import Mutant

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
MODULE_WEIGHT = 3  # running the mutated module's own check beats sharing a call name


@dataclass(frozen=True)
class Touched:
    """What one use case did on the revision: the words of its service calls and its steps' checks."""

    name: str
    seconds: float
    calls: frozenset[str]
    checks: frozenset[str]


def touched(
    name: str, seconds: float, journal: Iterable[Mapping[str, Any]], checks: Iterable[str]
) -> Touched:
    """From a use case's recorded journal: koji methods, and the words of the paths it asked."""
    words: set[str] = set()
    for entry in journal:
        words.update(call.lower() for call in entry.get("call") or [])
        words.update(word.lower() for word in WORD.findall(str(entry.get("path", ""))))
        words.add(str(entry.get("service", "")).lower())
    return Touched(name, seconds, frozenset(words), frozenset(c.lower() for c in checks if c))


def mutant_words(mutant: Mutant) -> set[str]:
    """The words of the function (or class) the mutant changes; of the whole file at module level."""
    try:
        tree = ast.parse(mutant.code)
    except SyntaxError:
        return set()
    segment = mutant.code
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if node.lineno <= mutant.line <= (node.end_lineno or node.lineno):
            segment = ast.get_source_segment(mutant.code, node) or segment  # the innermost wins: walked last
    return {word.lower() for word in WORD.findall(segment)}


def order(mutant: Mutant, usecases: Iterable[Touched]) -> list[str]:
    """Use case names, the likeliest to kill `mutant` first."""
    words = mutant_words(mutant)
    module = PurePath(mutant.path).stem.lower()

    def likelihood(case: Touched) -> tuple[int, float]:
        runs_module = module in case.checks or module in case.name.lower()
        return (MODULE_WEIGHT * runs_module + len(words & case.calls), -case.seconds)

    return [case.name for case in sorted(usecases, key=likelihood, reverse=True)]
