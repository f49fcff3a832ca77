"""The staging spec (staging.yaml): the system under test and how to stage it (docs/staging-spec.md)."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stagingqa.errors import InputError
from stagingqa.mocks.services import SERVICE_NAMES
from stagingqa.world.problems import Problem, WorldInvalid
from stagingqa.world.source import Located, dotted, parse_text
from stagingqa.world.validation import shape_problems

# each mock service's URL in the environment's world is a placeholder named after it
PLACEHOLDERS = {
    *SERVICE_NAMES,
    "mocks",
    "world",
    "env",
    "home",
    "src",
    "venv",
    "python",
    "state",
    "spec_dir",
}
TRIGGER_PLACEHOLDERS = PLACEHOLDERS | {"check", "item", "type"}
PLACEHOLDER = re.compile(r"\{(\w+)(?::([\w.-]+))?\}")  # {name} or {src:NAME}
KIND = "staging spec"  # how errors in a spec are headed
DURATION = re.compile(r"^(\d+)([smhd])$")
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
EXAMPLE_REPOSITORY = "example:autoqa"  # generated from examples/autoqa on first use
DEFAULT_INSTALL = "uv pip install --quiet --python {python} {src}"


def checked_duration(value: str) -> str:
    if not DURATION.match(value):
        raise ValueError("expected a duration such as 90s, 30m, 24h or 7d")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(Strict):
    """One repository of the system under test: a runner, its checks, a library. Checked out side by side
    into one environment and installed in the order listed, into one venv."""

    name: str = Field(pattern=NAME_PATTERN)
    repository: str = Field(min_length=1)
    branch: str = "master"
    install: list[str] = []  # shell commands, run in this component's checkout


class FileTemplate(Strict):
    """A file rendered for every use case from a template file next to the spec."""

    template: str = Field(min_length=1)


class System(Strict):
    """The system under test: where its code is, how to install it, how to run it."""

    repository: str | None = Field(default=None, min_length=1)  # one repository, or...
    branch: str = "master"
    components: list[Component] = []  # ...several, the first the primary one (what --ref REV moves)
    install: list[str] | None = None  # after the components' own; default: install the one repository
    install_timeout: str = "600s"  # each install command; a command still running then is ended
    check: str | None = None
    environment: dict[str, str] = {}
    triggers: dict[str, str] = {}
    files: dict[str, str | FileTemplate] = {}  # {home}/PATH -> inline template or {template: FILE}
    python: str | None = None  # the environment's interpreter (default: the one stagingqa runs on)
    site_packages: bool = False  # the venv sees the interpreter's own packages (rpm, libdnf, libsolv)
    watch_paths: list[str] = []  # folders outside the environment where a step's new files are listed
    # pins for every install command (uv and pip read it as UV_CONSTRAINT / PIP_CONSTRAINT): the versions
    # tested, and the ones a set-up already has in its caches
    constraints: str | None = None

    @field_validator("install_timeout")
    @classmethod
    def duration(cls, value: str) -> str:
        return checked_duration(value)

    @model_validator(mode="after")
    def one_form(self) -> System:
        if (self.repository is None) == (not self.components):
            raise ValueError("give either system.repository or system.components (a list), not both")
        names = [c.name for c in self.components]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"component names must differ: {', '.join(twice)} given twice")
        return self

    @field_validator("files")
    @classmethod
    def under_home(cls, value: dict[str, Any]) -> dict[str, Any]:
        for path in value:
            rest = path.removeprefix("{home}/")
            if rest == path or not rest or rest.startswith("/") or ".." in Path(rest).parts:
                raise ValueError(f"{path!r}: a file goes under the use case's home: {{home}}/PATH, no '..'")
        return value


class Mocks(Strict):
    host: str = "127.0.0.1"  # where the host environments share binds (a token is needed off loopback)
    db: str = "sqlite://"
    url: str | None = None  # a mock host already running elsewhere, used instead of starting one
    token: str | None = None  # the control API's bearer token (better: $STAGINGQA_CONTROL_TOKEN)


class Runs(Strict):
    database: str = "sqlite:///{state}/runs.sqlite"


class Deploy(Strict):
    """Environments kept for people (stagingqa deploy): how many live at once, for how long, verified
    how many use cases at a time."""

    max_live: int = Field(default=5, ge=1)
    ttl: str = "72h"
    jobs: int = Field(default=2, ge=1, le=64)

    @field_validator("ttl")
    @classmethod
    def duration(cls, value: str) -> str:
        return checked_duration(value)


class Spec(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    system: System
    world: str
    usecases: str = "usecases"
    mocks: Mocks = Mocks()
    runs: Runs = Runs()
    deploy: Deploy = Deploy()
    state: str = ".stagingqa"
    ttl: str = "24h"

    @field_validator("ttl")
    @classmethod
    def duration(cls, value: str) -> str:
        return checked_duration(value)


class LoadedSpec(pydantic.BaseModel):
    """A valid spec with the paths it names resolved against its own folder."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    spec: Spec
    path: Path
    digest: str

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else self.folder / candidate

    @property
    def state_dir(self) -> Path:
        return self.resolve(self.spec.state)

    @property
    def world_file(self) -> Path:
        return self.resolve(self.spec.world)

    @property
    def components(self) -> list[Component]:
        """The system's repositories, the primary one first; the one-repository form is one component
        named after the spec."""
        system = self.spec.system
        if system.components:
            return list(system.components)
        assert system.repository is not None  # the model allows no third form
        return [Component(name=self.spec.name, repository=system.repository, branch=system.branch)]

    @property
    def recorded_text(self) -> str:
        """The spec's text as run records keep it: a control token in it is not kept."""
        text = self.path.read_text()
        token = self.spec.mocks.token
        return text.replace(token, "<redacted>") if token else text

    @property
    def control_token(self) -> str | None:
        """The mock host's control token: the spec's, else $STAGINGQA_CONTROL_TOKEN."""
        return self.spec.mocks.token or os.environ.get("STAGINGQA_CONTROL_TOKEN") or None

    @property
    def primary(self) -> Component:
        return self.components[0]

    def component(self, name: str) -> Component:
        """The component `name`, or an InputError naming the ones there are."""
        for component in self.components:
            if component.name == name:
                return component
        known = ", ".join(c.name for c in self.components)
        raise InputError(f"no component {name!r} in the staging spec; it has: {known}")

    def repository_of(self, component: Component) -> str:
        """A component's repository: a URL as given, a local path resolved against the spec's folder."""
        repo = component.repository
        if repo == EXAMPLE_REPOSITORY or "://" in repo or repo.startswith("git@"):
            return repo
        return str(self.resolve(repo))

    @property
    def repository(self) -> str:
        """The primary component's repository."""
        return self.repository_of(self.primary)

    @property
    def install_commands(self) -> list[str]:
        """What runs after the components' own install commands, in the primary checkout."""
        system = self.spec.system
        if system.install is not None:
            return list(system.install)
        return [] if system.components else [DEFAULT_INSTALL]


def parse_duration(text: str) -> float:
    amount, unit = DURATION.match(text).groups()  # type: ignore[union-attr]
    return int(amount) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def load_spec(path: str | Path) -> LoadedSpec:
    """Load and check a staging spec; every problem (file, line, field) is raised at once."""
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldInvalid([Problem(str(path), None, "", f"cannot read staging spec: {exc}")], KIND) from None
    try:
        located = parse_text(text, str(path))
    except WorldInvalid as exc:
        raise WorldInvalid([_with_quoting_hint(p, text) for p in exc.problems], KIND) from None
    if not isinstance(located.data, dict):
        raise WorldInvalid([Problem(str(path), 1, "", "a staging spec must be a mapping of fields")], KIND)
    try:
        spec = Spec.model_validate(located.data)
    except pydantic.ValidationError as exc:
        raise WorldInvalid(shape_problems(located, exc, Spec), KIND) from None
    problems = _placeholder_problems(spec, located, str(path))
    loaded = LoadedSpec(spec=spec, path=path, digest=hashlib.sha256(text.encode()).hexdigest()[:16])
    if not loaded.world_file.exists():
        line = located.where(("world",))[1]
        problems.append(Problem(str(path), line, "world", f"world file {loaded.world_file} does not exist"))
    for key, template in spec.system.files.items():
        if isinstance(template, FileTemplate) and not loaded.resolve(template.template).is_file():
            line = located.where(("system", "files", key))[1]
            problems.append(
                Problem(
                    str(path), line, f"system.files.{key}", f"template {template.template} does not exist"
                )
            )
    if problems:
        raise WorldInvalid(problems, KIND)
    check_world_file(loaded)
    return loaded


def _with_quoting_hint(problem: Problem, text: str) -> Problem:
    """YAML reads `- {python} -m x` as a mapping: a command beginning with `{` must be quoted."""
    lines = text.splitlines()
    near = [lines[n] for n in range((problem.line or 1) - 2, (problem.line or 0) + 1) if 0 <= n < len(lines)]
    if any(re.search(r"(^|[-:]\s)\{\w+(:[\w.-]+)?\}\s*\S", line.strip()) for line in near):
        hint = "; a value that begins with a {placeholder} must be quoted: '{python} -m ...'"
        return Problem(problem.source, problem.line, problem.path, problem.message + hint)
    return problem


def check_world_file(loaded: LoadedSpec) -> None:
    """A broken base world is reported with its own file and lines; a file once found valid (same bytes)
    is not checked again, which keeps `stagingqa up` quick."""
    content = loaded.world_file.read_bytes()
    marker = loaded.state_dir / "checked-worlds" / hashlib.sha256(content).hexdigest()
    if marker.exists():
        return
    from stagingqa.world import load_world

    load_world(loaded.world_file)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def _placeholder_problems(spec: Spec, located: Located, source: str) -> list[Problem]:
    """Unknown placeholders in the environment, triggers and install commands; `{src:NAME}` must name a
    component."""
    components = {c.name for c in spec.system.components} or {spec.name}
    texts: list[tuple[tuple[Any, ...], str, set[str]]] = []
    texts += [(("system", "environment", k), v, PLACEHOLDERS) for k, v in spec.system.environment.items()]
    texts += [(("system", "triggers", k), v, TRIGGER_PLACEHOLDERS) for k, v in spec.system.triggers.items()]
    texts += [(("system", "install", i), v, PLACEHOLDERS) for i, v in enumerate(spec.system.install or [])]
    for n, component in enumerate(spec.system.components):
        texts += [
            (("system", "components", n, "install", i), v, PLACEHOLDERS)
            for i, v in enumerate(component.install)
        ]
    if spec.system.check:
        texts.append((("system", "check"), spec.system.check, PLACEHOLDERS))
    found = []
    for where, value, allowed in texts:
        for name, argument in PLACEHOLDER.findall(value):
            if name == "src" and argument:
                message = (
                    None if argument in components else f"no component {argument!r} for {{src:{argument}}}"
                )
            elif argument or name not in allowed:
                message = (
                    f"unknown placeholder {{{name}{':' + argument if argument else ''}}}; known: "
                    + ", ".join(sorted(allowed | {"src:NAME"}))
                )
            else:
                message = None
            if message:
                found.append(Problem(source, located.where(where)[1], dotted(where), message))
    return found
