"""Bodhi's error answers: `{"status": "error", "errors": [...]}`, with every problem found at once."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problems:
    """Errors gathered by the validators before the view answers (cornice's request.errors)."""

    entries: list[dict[str, str]] = field(default_factory=list)
    status: int = 400

    def add(self, location: str, name: str, description: str, status: int | None = None) -> None:
        self.entries.append({"location": location, "name": name, "description": description})
        if status is not None:
            self.status = status

    def raise_if_any(self) -> None:
        if self.entries:
            raise BodhiError(self.entries, self.status)


class BodhiError(Exception):
    def __init__(self, entries: list[dict[str, str]], status: int = 400) -> None:
        super().__init__(entries)
        self.entries = entries
        self.status = status

    def body(self) -> dict:
        return {"status": "error", "errors": self.entries}


def fail(location: str, name: str, description: str, status: int = 400) -> BodhiError:
    return BodhiError([{"location": location, "name": name, "description": description}], status)
