"""YAML or JSON text to plain data, remembering the line each value came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from stagingqa.world.problems import Problem, WorldInvalid

Path = tuple[str | int, ...]
# libyaml's parser where PyYAML has it (its wheels do): a world of 25 builds parses 8 times faster, and
# every use case's world is parsed again by the mock host
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Located:
    """Parsed data plus the (source, line) of every mapping key and sequence item in it."""

    data: Any
    lines: dict[Path, tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def given(cls, data: Any, source: str) -> Located:
        """Data given in code, not read from a file: problems name `source` and the field, no line."""
        return cls(data, {(): (source, 0)})

    def where(self, path: Path) -> tuple[str, int | None]:
        """The closest known location of `path` (walking up to its parents)."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found:
                return found
        return ("<unknown>", None)


def parse_text(text: str, source: str) -> Located:
    """Parse YAML (JSON is YAML too) into data with line numbers; raise WorldInvalid on bad syntax."""
    one_line = _one_line_json(text, source)
    if one_line is not None:
        return one_line
    try:
        loader = LOADER(text)
    except yaml.YAMLError as exc:
        raise WorldInvalid([Problem(source, None, "", f"not valid YAML: {exc}")]) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise WorldInvalid([Problem(source, line, "", f"not valid YAML: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise WorldInvalid([Problem(source, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    located = Located(data, {(): (source, 1)})
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), source, located.lines, problems)
    if problems:
        raise WorldInvalid(problems)
    return located


def _one_line_json(text: str, source: str) -> Located | None:
    """JSON on one line (what the verifier sends the mock host), read by the json module: ten times
    faster than YAML, and every location is line 1 anyway. None for anything else, or a duplicate key
    (YAML then names it)."""
    stripped = text.strip()
    if not stripped.startswith("{") or "\n" in stripped:
        return None

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({key for key, _ in pairs}) != len(pairs):
            raise ValueError("duplicate key")
        return dict(pairs)

    try:
        data = json.loads(stripped, object_pairs_hook=unique)
    except ValueError:
        return None
    return Located(data, {(): (source, 1)})


def _walk(node: yaml.Node, path: Path, source: str, lines: dict, problems: list[Problem]) -> None:
    lines.setdefault(path, (source, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(
                    Problem(
                        source, key_node.start_mark.line + 1, _dotted((*path, key)), f"duplicate key {key!r}"
                    )
                )
            seen.add(key)
            lines[(*path, key)] = (source, key_node.start_mark.line + 1)
            _walk(value_node, (*path, key), source, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), source, lines, problems)


def _dotted(path: Path) -> str:
    """A path as people write it: builds[2].nvr."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted
