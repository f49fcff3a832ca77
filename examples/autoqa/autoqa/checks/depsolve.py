"""Matching requirements against provides, as rpm does for one requirement at a time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from autoqa.rpmvercmp import evr_compare, parse_evr

LESS, GREATER, EQUAL = 2, 4, 8
RPMLIB = 1 << 24


@dataclass(frozen=True)
class Dependency:
    name: str
    flags: int = 0
    version: str = ""

    def __str__(self) -> str:
        op = {LESS: "<", GREATER: ">", EQUAL: "=", LESS | EQUAL: "<=", GREATER | EQUAL: ">="}.get(
            self.flags & 14
        )
        return f"{self.name} {op} {self.version}" if op and self.version else self.name


class Provides:
    """Everything a set of packages provides: capabilities with versions, and files."""

    def __init__(self) -> None:
        self.capabilities: dict[str, list[Dependency]] = defaultdict(list)
        self.files: set[str] = set()

    def add(self, provide: Dependency) -> None:
        self.capabilities[provide.name].append(provide)

    def satisfies(self, require: Dependency) -> bool:
        if require.name.startswith("rpmlib(") or require.flags & RPMLIB:
            return True  # rpm itself provides these
        if require.name.startswith("/") and require.name in self.files:
            return True
        return any(_matches(provide, require) for provide in self.capabilities.get(require.name, []))


def _matches(provide: Dependency, require: Dependency) -> bool:
    """An unversioned side always matches; otherwise compare the provided EVR with the required range."""
    if not require.version or not (require.flags & 14) or not provide.version:
        return True
    have, want = parse_evr(provide.version), parse_evr(require.version)
    if not want[2] or not have[2]:  # a requirement without a release ignores releases
        have, want = (have[0], have[1], ""), (want[0], want[1], "")
    order = evr_compare(have, want)
    return bool(
        (order < 0 and require.flags & LESS)
        or (order > 0 and require.flags & GREATER)
        or (order == 0 and require.flags & EQUAL)
    )
