"""Which use cases to run on a mutant first: those whose journal on the revision touched the service calls
the mutated code names, and those that run the mutated module's check; the quickest first among equals.
A mutant stops at its first failing use case, so a good order is most of the saving."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
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


def importers(checkout: Path, files: Iterable[Path]) -> dict[str, set[str]]:
    """For each file (relative path), the module names of the files that import it, itself included:
    a mutant of a helper module (depcheck's resolver) is likeliest killed by its importers' checks."""
    texts = {path.stem: path.read_text(encoding="utf-8", errors="replace") for path in checkout.rglob("*.py")}
    found = {}
    for relative in files:
        stem = PurePath(relative).stem
        pattern = re.compile(
            rf"^\s*(from\s+\S*\b{re.escape(stem)}\b\s+import|import\s+.*\b{re.escape(stem)}\b|from\s+\S+\s+import\s+.*\b{re.escape(stem)}\b)",
            re.MULTILINE,
        )
        found[str(relative)] = {stem.lower()} | {
            name.lower() for name, text in texts.items() if pattern.search(text)
        }
    return found


def order(mutant: Mutant, usecases: Iterable[Touched], modules: set[str] | None = None) -> list[str]:
    """Use case names, the likeliest to kill `mutant` first. `modules`: the mutated module's name and
    those of the modules that import it (by default its own only)."""
    words = mutant_words(mutant)
    names = modules or {PurePath(mutant.path).stem.lower()}

    def likelihood(case: Touched) -> tuple[int, float]:
        runs_module = bool(names & case.checks) or any(name in case.name.lower() for name in names)
        return (MODULE_WEIGHT * runs_module + len(words & case.calls), -case.seconds)

    return [case.name for case in sorted(usecases, key=likelihood, reverse=True)]
