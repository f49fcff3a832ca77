"""A problem found in a world document, and the error that carries all of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where it is and what was expected."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class WorldInvalid(Exception):
    """Raised with every problem found, never just the first; `kind` names the document (a world, a
    staging spec, a use case) in the message a user reads."""

    def __init__(self, problems: list[Problem], kind: str = "world") -> None:
        self.problems = problems
        self.kind = kind
        super().__init__("\n".join(str(p) for p in problems))
