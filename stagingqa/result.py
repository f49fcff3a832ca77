"""One shape for every command's `--json` (docs/json.md), as pipx's result.py gives one: the command,
its status from the Status enum, the exit code, the data, and an error with its problems. One renderer
turns any result into it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stagingqa.errors import EXIT_USAGE, StagingQAError
from stagingqa.verifier.verdict import Status
from stagingqa.world.problems import WorldInvalid

FORMAT = 1  # the envelope's version: readers check it before they read `data`


@dataclass(frozen=True)
class CommandResult:
    """What a command did, as `--json` prints it."""

    command: str
    data: Any = None
    status: Status = Status.OK
    error: dict[str, Any] | None = None
    exit_code: int = field(default=-1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "command": self.command,
            "status": self.status.value,
            "exit_code": self.status.exit_code if self.exit_code < 0 else self.exit_code,
            "data": plain(self.data),
            "error": self.error,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def error_result(command: str, exc: StagingQAError | WorldInvalid) -> CommandResult:
    """A failed command: its message, and for invalid files every problem with file, line and field."""
    if isinstance(exc, WorldInvalid):
        problems = [p.to_dict() for p in exc.problems]
        error = {"message": f"{len(problems)} problem(s)", "problems": problems}
        return CommandResult(command, None, Status.ERROR, error, EXIT_USAGE)
    return CommandResult(command, None, Status.ERROR, {"message": exc.message, "problems": []}, exc.exit_code)


def plain(value: Any) -> Any:
    """`value` as JSON data: dataclasses, enums, paths, sets and tuples made plain."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    return value
