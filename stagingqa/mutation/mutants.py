"""Mutants of a checkout: cosmic-ray's operators over its Python files, each mutant one small change
with a stable id and a diff."""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cosmic_ray.plugins
from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.ast.ast_query import ASTQuery
from cosmic_ray.mutating import mutate_code

from stagingqa.errors import InputError

# The changes a QA developer plausibly commits by mistake: a comparison turned round or off by one, a
# condition negated or its and/or swapped, a constant changed, a loop skipped, a break for a continue,
# an exception caught too widely or too narrowly. cosmic-ray has some 200 operators; most binary ones
# (a + turned into <<) make code no one would write, and only cost time.
REALISTIC = (
    "core/ReplaceComparisonOperator_Eq_NotEq",
    "core/ReplaceComparisonOperator_NotEq_Eq",
    "core/ReplaceComparisonOperator_Lt_LtE",
    "core/ReplaceComparisonOperator_LtE_Lt",
    "core/ReplaceComparisonOperator_Gt_GtE",
    "core/ReplaceComparisonOperator_GtE_Gt",
    "core/ReplaceComparisonOperator_Lt_Gt",
    "core/ReplaceComparisonOperator_Gt_Lt",
    "core/ReplaceComparisonOperator_Is_IsNot",
    "core/ReplaceComparisonOperator_IsNot_Is",
    "core/ReplaceTrueWithFalse",
    "core/ReplaceFalseWithTrue",
    "core/ReplaceAndWithOr",
    "core/ReplaceOrWithAnd",
    "core/AddNot",
    "core/NumberReplacer",
    "core/ReplaceBinaryOperator_Add_Sub",
    "core/ReplaceBinaryOperator_Sub_Add",
    "core/ZeroIterationForLoop",
    "core/ReplaceBreakWithContinue",
    "core/ReplaceContinueWithBreak",
)
SKIPPED_FILES = ("setup.py", "conftest.py", "test_*.py", "*_test.py")
SKIPPED_FOLDERS = ("tests", "test", "docs", "examples", ".git", "build", "dist", "__pycache__")


@dataclass(frozen=True)
class Mutant:
    """One small change to one file of one component."""

    id: str
    component: str
    path: str  # relative to the component's checkout
    line: int
    operator: str
    definition: str  # the function or class it is in, or <module>
    diff: str
    code: str  # the whole mutated file

    def apply(self, checkout: Path) -> None:
        """Write the mutated file into a checkout of the same revision."""
        (checkout / self.path).write_text(self.code, encoding="utf-8")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["code"]
        return data


def operators(patterns: Iterable[str] | None = None) -> list[str]:
    """cosmic-ray's operators matching the patterns (names or globs; `all`), default the realistic set."""
    known = sorted(cosmic_ray.plugins.operator_names())
    wanted = list(patterns or [])
    if not wanted:
        return [name for name in REALISTIC if name in known]
    if wanted == ["all"]:
        return known
    chosen = []
    for pattern in wanted:
        full = pattern if "/" in pattern else f"core/{pattern}"
        matched = [name for name in known if fnmatch.fnmatchcase(name, full)]
        if not matched:
            raise InputError(
                f"--operators: no mutation operator matches {pattern!r} (for example "
                "ReplaceComparisonOperator_Eq_NotEq, 'ReplaceComparisonOperator_*', or all)"
            )
        chosen += [name for name in matched if name not in chosen]
    return chosen


def source_files(checkout: Path, globs: Iterable[str] | None = None) -> list[Path]:
    """The Python files to mutate, relative to the checkout: `globs`, else every one outside tests."""
    patterns = list(globs or [])
    found = []
    for path in sorted(checkout.rglob("*.py")):
        relative = path.relative_to(checkout)
        if patterns:
            if any(fnmatch.fnmatchcase(str(relative), pattern) for pattern in patterns):
                found.append(relative)
        elif not any(part in SKIPPED_FOLDERS for part in relative.parts[:-1]) and not any(
            fnmatch.fnmatchcase(relative.name, pattern) for pattern in SKIPPED_FILES
        ):
            found.append(relative)
    if not found:
        shown = ", ".join(patterns) if patterns else "*.py outside tests"
        raise InputError(f"no Python file to mutate in {checkout} ({shown})")
    return found


def generate(
    component: str, checkout: Path, files: list[Path], operator_names: list[str]
) -> Iterator[Mutant]:
    """Every mutant the operators make of the files, in file and line order per operator."""
    for relative in files:
        source = (checkout / relative).read_text(encoding="utf-8")
        seen: Counter[tuple[str, str, str]] = Counter()
        nodes = list(ast_nodes(get_ast(source)))  # parsed once: positions only read the tree
        for name in operator_names:
            operator = cosmic_ray.plugins.get_operator(name)()
            positions = [(node, start) for node in nodes for start, _end in operator.mutation_positions(node)]
            for occurrence, (node, start) in enumerate(positions):
                mutated = mutate_code(source, operator, occurrence)
                if mutated is None or mutated == source:
                    continue
                definition = ASTQuery(node).get_definition_name() or "<module>"
                changed = _changed_line(source, mutated, start[0])
                # stable while the function it is in stays the same: not a line number, not a global count
                key = (definition, name, changed)
                seen[key] += 1
                digest = hashlib.sha1(  # noqa: S324 - an identifier, not security
                    f"{component}:{relative}:{definition}:{name}:{changed}:{seen[key]}".encode()
                ).hexdigest()[:10]
                yield Mutant(
                    digest, component, str(relative), start[0], name, definition,
                    _diff(source, mutated, str(relative)), mutated,
                )  # fmt: skip


def _changed_line(source: str, mutated: str, line: int) -> str:
    lines = mutated.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def _diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}", n=2
        )
    )
