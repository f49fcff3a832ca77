"""The use-case format (docs/usecases.md): a world, faults, steps, and what must be true afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stagingqa.errors import InputError
from stagingqa.mocks.faults import FaultRuleSpec
from stagingqa.mocks.services import SERVICE_NAMES
from stagingqa.world.problems import Problem, WorldInvalid
from stagingqa.world.source import Located, parse_text
from stagingqa.world.validation import shape_problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorldRef(Strict):
    base: str
    overlay: dict[str, Any] = {}


class Step(Strict):
    """A trigger of the spec (with its check and item) or a shell command, and what it must do."""

    trigger: str | None = None
    check: str | None = None
    item: str | None = None
    command: str | None = None
    timeout: float = 120
    exit: int | None = 0
    output: list[str] = []
    absent_output: list[str] = []

    @model_validator(mode="after")
    def one_kind(self) -> Step:
        if (self.trigger is None) == (self.command is None):
            raise ValueError("a step is either a trigger (with check and item) or a command")
        return self


class ResultExpectation(Strict):
    testcase: str | None = None
    outcome: str | None = None
    item: str | None = None
    type: str | None = None
    arch: str | list[str] | None = None
    note: str | None = None  # a regular expression searched in the note
    ref_url: str | None = None
    data: dict[str, Any] = {}
    count: int | None = None  # exactly this many; default: at least one


class CommentExpectation(Strict):
    update: str | None = None
    user: str | None = None
    text: str | None = None  # a regular expression searched in the text
    karma: int | None = None
    count: int | None = None


class Absent(Strict):
    results: list[ResultExpectation] = []
    comments: list[CommentExpectation] = []


class Budgets(Strict):
    comments_per_update: int | None = None
    unique_results: bool = False  # no two posted results share testcase, item and arch
    requests: dict[str, int] = {}  # per service of the table

    @field_validator("requests")
    @classmethod
    def known_services(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(SERVICE_NAMES))
        if unknown:
            raise ValueError(
                f"unknown service(s) {unknown}; the mock services are {', '.join(SERVICE_NAMES)}"
            )
        return value


class UpdateState(Strict):
    alias: str
    status: str | None = None
    request: str | None = None
    karma: int | None = None


class BuildState(Strict):
    nvr: str
    tags: list[str] | None = None  # exactly these tags
    not_tags: list[str] = []


class WorldExpectation(Strict):
    updates: list[UpdateState] = []
    builds: list[BuildState] = []


class Expect(Strict):
    results: list[ResultExpectation] = []
    comments: list[CommentExpectation] = []
    absent: Absent = Absent()
    budgets: Budgets = Budgets()
    world: WorldExpectation = WorldExpectation()


class UseCase(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    description: str = ""
    tags: list[str] = []
    bug: str | None = None
    world: WorldRef
    faults: list[FaultRuleSpec] = []  # the control API's own model: a bad rule is an error at load time
    steps: list[Step] = Field(min_length=1)
    expect: Expect = Expect()


class LoadedUseCase(pydantic.BaseModel):
    """A valid use case, its file, and its world document (base and overlay merged, validated)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    usecase: UseCase
    path: Path
    text: str
    world_document: dict[str, Any]

    @property
    def fault_documents(self) -> list[dict[str, Any]]:
        """The fault rules as written, for the control API and the run record."""
        return [rule.model_dump(mode="json", exclude_unset=True) for rule in self.usecase.faults]


def load_usecase(path: Path, triggers: Mapping[str, str] | None = None) -> LoadedUseCase:
    """Load and check one use case; every problem is raised at once with file and line."""
    path = path.resolve()
    try:
        text = path.read_text(encoding="utf-8")
        located = parse_text(text, str(path))
    except OSError as exc:
        raise WorldInvalid([Problem(str(path), None, "", f"cannot read use case: {exc}")]) from None
    if not isinstance(located.data, dict):
        raise WorldInvalid([Problem(str(path), 1, "", "a use case must be a mapping of fields")])
    usecase = _parse(located)
    problems = trigger_problems(usecase, located, triggers, str(path)) if triggers is not None else []
    if problems:
        raise WorldInvalid(problems)
    return _with_world(usecase, path, located, text)


def trigger_problems(
    usecase: UseCase, located: Located, triggers: Mapping[str, str], source: str
) -> list[Problem]:
    """Triggers the spec does not define, and the {check} or {item} a trigger's command needs."""
    problems = []
    for i, step in enumerate(usecase.steps):
        if step.trigger is None:
            continue
        line = located.where(("steps", i, "trigger"))[1]
        template = triggers.get(step.trigger)
        if template is None:
            known = ", ".join(sorted(triggers))
            problems.append(
                Problem(
                    source,
                    line,
                    f"steps[{i}].trigger",
                    f"unknown trigger {step.trigger!r}; the spec has: {known}",
                )
            )
            continue
        for key in ("check", "item"):
            if "{" + key + "}" in template and not getattr(step, key):
                problems.append(
                    Problem(
                        source,
                        line,
                        f"steps[{i}].{key}",
                        f"trigger {step.trigger!r} needs check and item ({template})",
                    )
                )
    return problems


def _with_world(usecase: UseCase, path: Path, located: Located, text: str) -> LoadedUseCase:
    """Merge the base world and the overlay; a world that does not resolve is the use case's error."""
    from stagingqa.world.loader import merge_documents, read_file, validate

    base = (path.parent / usecase.world.base).resolve()
    if not base.exists():
        raise WorldInvalid(
            [
                Problem(
                    str(path),
                    located.where(("world", "base"))[1],
                    "world.base",
                    f"world file {base} does not exist",
                )
            ]
        )
    merged = read_file(base)
    if usecase.world.overlay:
        overlay_lines = {p[2:]: w for p, w in located.lines.items() if p[:2] == ("world", "overlay")}
        merged = merge_documents(merged, Located(dict(usecase.world.overlay), overlay_lines))
    merged.data["name"] = usecase.name
    document = validate(merged).model_dump(mode="json", exclude_defaults=True)
    document["name"] = usecase.name
    return _assemble(usecase, path, text, document)


def _parse(located: Located) -> UseCase:
    try:
        return UseCase.model_validate(located.data, context={"services": SERVICE_NAMES})
    except pydantic.ValidationError as exc:
        raise WorldInvalid(shape_problems(located, exc, UseCase)) from None


def _assemble(usecase: UseCase, path: Path, text: str, document: dict[str, Any]) -> LoadedUseCase:
    """A loaded use case; what its world was seeded with is counted so that only new posts are matched."""
    return LoadedUseCase(
        usecase=usecase,
        path=path,
        text=text,
        world_document=document,
    )


def loaded_with_world(text: str, path: Path, document: dict[str, Any]) -> LoadedUseCase:
    """A use case as recorded (its text) with a given world document, say a run's state before or after."""
    return _assemble(_parse(parse_text(text, str(path))), path, text, document)


# beside the use cases, not one: the mutants `stagingqa mutate` was told are equivalent (docs/mutation.md)
EQUIVALENT_MUTANTS = "mutants-equivalent.yaml"


def find_usecases(paths: list[Path]) -> list[Path]:
    """Use-case files named on the command line, and every *.yaml below named folders (not in a worlds/
    folder: base worlds live there; not the equivalent mutants' list), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*.yaml")
                if p.is_file()
                and "worlds" not in p.relative_to(path).parts[:-1]
                and p.name != EQUIVALENT_MUTANTS
            )
        else:
            found.append(path)
    return found


def named_usecase(folder: Path, usecase: str) -> Path:
    """A use-case file given by path, or by name among the use cases in `folder`."""
    if usecase.endswith((".yaml", ".yml")) and Path(usecase).exists():
        return Path(usecase).resolve()
    for path in find_usecases([folder]):
        if path.stem == usecase:
            return path
    raise InputError(f"no use case named {usecase!r} in {folder}")
