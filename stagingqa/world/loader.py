"""Load a world from files or text, apply overlays, and validate it, reporting every problem at once."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, get_args, get_origin

import pydantic

from stagingqa.world.checks import check_world
from stagingqa.world.model import World
from stagingqa.world.problems import Problem, WorldInvalid
from stagingqa.world.source import Located, Path, dotted, parse_text
from stagingqa.world.validation import shape_problems

# entries of these sections replace base entries with the same identity; `results` only append
IDENTITY = {"users": "name", "releases": "name", "tags": "name", "builds": "nvr", "updates": "alias"}


def load_world(path: str | FilePath, overlays: list[str | FilePath] = ()) -> World:  # type: ignore[assignment]
    """Load a world file and its overlays (applied in order) into one validated world."""
    located = read_file(path)
    for overlay in overlays:
        located = merge_documents(located, read_file(overlay))
    return validate(located)


def load_world_text(text: str, source: str = "<text>") -> World:
    """Load a world document given as YAML or JSON text."""
    return validate(parse_text(text, source))


def read_file(path: str | FilePath) -> Located:
    """Parse one world file; a missing or unreadable file is a problem like any other."""
    try:
        stat = FilePath(path).stat()
        parsed = _parsed(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError) as exc:
        raise WorldInvalid([Problem(str(path), None, "", f"cannot read world file: {exc}")]) from None
    return Located(copy.deepcopy(parsed.data), dict(parsed.lines))


@functools.lru_cache(maxsize=32)
def _parsed(path: str, mtime_ns: int, size: int) -> Located:
    # a verify run loads one base world per use case, mostly the same file: parse it once (line numbers
    # make this pure-Python YAML, about 10 ms a file); callers get copies, as merging changes them
    return parse_text(FilePath(path).read_text(encoding="utf-8"), path)


def merge_documents(base: Located, overlay: Located) -> Located:
    """Put `overlay` on top of `base`: keyed entries replace, new entries append, scalars replace."""
    if not isinstance(base.data, dict) or not isinstance(overlay.data, dict):
        return overlay if not isinstance(base.data, dict) else base
    data = copy.deepcopy(base.data)
    lines = dict(base.lines)
    for key, value in overlay.data.items():
        if isinstance(value, list) and isinstance(data.get(key), list):
            _merge_list(data, lines, key, value, overlay)
        else:
            _drop_lines(lines, (key,))
            data[key] = copy.deepcopy(value)
            _copy_lines(overlay, (key,), (key,), lines)
    return Located(data, lines)


def _merge_list(data: dict, lines: dict, key: str, items: list, overlay: Located) -> None:
    ident = IDENTITY.get(key)
    target = data[key]
    for index, item in enumerate(items):
        position = len(target)
        if ident and isinstance(item, dict):
            for j, existing in enumerate(target):
                if isinstance(existing, dict) and existing.get(ident) == item.get(ident):
                    position = j
                    break
        if position == len(target):
            target.append(copy.deepcopy(item))
        else:
            target[position] = copy.deepcopy(item)
            _drop_lines(lines, (key, position))
        _copy_lines(overlay, (key, index), (key, position), lines)


def _drop_lines(lines: dict, prefix: Path) -> None:
    for path in [p for p in lines if p[: len(prefix)] == prefix]:
        del lines[path]


def _copy_lines(source: Located, src: Path, dst: Path, into: dict) -> None:
    for path, where in source.lines.items():
        if path[: len(src)] == src:
            into[dst + path[len(src) :]] = where


def validate(located: Located) -> World:
    """Check the shape and the references; raise WorldInvalid listing every problem of both at once."""
    source = located.where(())[0]
    if not isinstance(located.data, dict):
        raise WorldInvalid([Problem(source, 1, "", "a world document must be a mapping of fields")])
    problems: list[Problem] = []

    def report(path: Path, message: str) -> None:
        file, line = located.where(path)
        problems.append(Problem(file, line, dotted(path), message))

    try:
        world = World.model_validate(located.data)
    except pydantic.ValidationError as exc:
        problems = shape_problems(located, exc, World)
        partial = _partial_world(located.data)
        if partial is not None:
            check_world(partial.world, partial.reporter(report))
        raise WorldInvalid(sorted(problems, key=lambda p: (p.source, p.line or 0))) from None
    check_world(world, report)
    if problems:
        raise WorldInvalid(problems)
    return world


@dataclass
class _Partial:
    """The parts of a document that have a valid shape, to check their references too (one pass for the
    user). Items left out are remembered by position and by name, so no reference to them is reported."""

    world: World
    positions: dict[str, list[int]]
    left_out: set[str]

    def reporter(self, report: Callable[[Path, str], None]) -> Callable[[Path, str], None]:
        def mapped(path: Path, message: str) -> None:
            if any(f"{name!r}" in message for name in self.left_out):
                return  # about an item whose shape is already reported
            if len(path) > 1 and path[0] in self.positions and isinstance(path[1], int):
                path = (path[0], self.positions[str(path[0])][path[1]], *path[2:])
            report(path, message)

        return mapped


def _partial_world(data: dict[str, Any]) -> _Partial | None:
    kept: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    left_out: set[str] = set()
    for name, field in World.model_fields.items():
        if name not in data or field.annotation is None:
            continue
        value = data[name]
        if get_origin(field.annotation) is list and isinstance(value, list):
            item = pydantic.TypeAdapter(get_args(field.annotation)[0])
            kept[name], positions[name] = [], []
            for i, entry in enumerate(value):
                try:
                    kept[name].append(item.validate_python(entry))
                    positions[name].append(i)
                except pydantic.ValidationError:
                    if isinstance(entry, dict):
                        left_out.update(str(entry[k]) for k in ("nvr", "name", "alias", "tag") if k in entry)
            continue
        try:
            kept[name] = pydantic.TypeAdapter(field.annotation).validate_python(value)
        except pydantic.ValidationError:
            pass
    kept.setdefault("name", "partial")
    try:
        return _Partial(World.model_validate(kept), positions, left_out)
    except pydantic.ValidationError:
        return None  # a whole-world rule fails too: its shape problems are what the user needs first
