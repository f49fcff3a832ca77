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
    else:
        message = _plain(err)
        if "input" in err:
            message = f"{message} (got {err['input']!r})"
    return Problem(file, line, dotted(path), message)


EXPECTED = {
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "dict_type": "expected a mapping",
    "list_type": "expected a list",
    "string_type": "expected a string",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "datetime_type": "expected a date and time (ISO 8601)",
    "datetime_parsing": "expected a date and time (ISO 8601)",
    "datetime_from_date_parsing": "expected a date and time (ISO 8601)",
}


def _plain(err: Any) -> str:
    """A validation error in our words: what was expected, never a model's class name."""
    kind = err["type"]
    if kind in EXPECTED:
        return EXPECTED[kind]
    if kind == "literal_error":
        return f"expected one of {err['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        return f"expected text matching {err['ctx']['pattern']}"
    if kind in ("too_short", "too_long"):
        return (
            str(err["msg"])
            .replace("List should", "expected a list that should")
            .replace("Value should", "expected")
        )
    return str(err["msg"]).replace("Input should be", "expected")


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
