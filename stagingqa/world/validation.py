"""pydantic's errors as Problems with file, line and field; unknown fields name the allowed ones."""

from __future__ import annotations

from typing import Any

import pydantic

from stagingqa.world.problems import Problem
from stagingqa.world.source import Located, Path, dotted


def shape_problems(
    located: Located, exc: pydantic.ValidationError, root: type[pydantic.BaseModel]
) -> list[Problem]:
    """Every error of a validation of `located.data` against `root`."""
    return [_problem(located, err, root) for err in exc.errors()]


def _problem(located: Located, err: Any, root: Any) -> Problem:
    path = tuple(part for part in err["loc"] if not str(part).startswith("function-"))
    file, line = located.where(path)
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        allowed = ", ".join(_allowed_fields(root, path[:-1]))
        message = f"unknown field {path[-1]!r}; allowed fields: {allowed}"
    elif err["type"] == "missing":
        message = f"required field {path[-1]!r} is missing"
    elif err["type"] == "value_error":
        message = str(err["ctx"]["error"])  # our own validators' words, without pydantic's prefix
    elif "input" in err and err["type"] not in ("missing",):
        message = f"{message} (got {err['input']!r})"
    return Problem(file, line, dotted(path), message)


def _allowed_fields(root: Any, path: Path) -> list[str]:
    """The field names of the model found at `path` inside `root`."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = _model_in(annotation)
    return list(model.model_fields)


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
