"""The staging spec (staging.yaml): the system under test and how to stage it (docs/staging-spec.md)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stagingqa.mocks.services import SERVICE_NAMES
from stagingqa.world.problems import Problem, WorldInvalid
from stagingqa.world.source import parse_text
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
}
TRIGGER_PLACEHOLDERS = PLACEHOLDERS | {"check", "item", "type"}
DURATION = re.compile(r"^(\d+)([smhd])$")
EXAMPLE_REPOSITORY = "example:autoqa"  # generated from examples/autoqa on first use


def checked_duration(value: str) -> str:
    if not DURATION.match(value):
        raise ValueError("expected a duration such as 90s, 30m, 24h or 7d")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class System(Strict):
    """The system under test: where its code is, how to install it, how to run it."""

    repository: str = Field(min_length=1)
    branch: str = "master"
    install: list[str] = ["uv pip install --quiet --python {python} {src}"]
    install_timeout: str = "600s"  # each install command; a command still running then is ended
    check: str | None = None
    environment: dict[str, str] = {}
    triggers: dict[str, str] = {}

    @field_validator("install_timeout")
    @classmethod
    def duration(cls, value: str) -> str:
        return checked_duration(value)


class Mocks(Strict):
    host: str = "127.0.0.1"
    db: str = "sqlite://"


class Runs(Strict):
    database: str = "sqlite:///{state}/runs.sqlite"


class Spec(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    system: System
    world: str
    usecases: str = "usecases"
    mocks: Mocks = Mocks()
    runs: Runs = Runs()
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
    def repository(self) -> str:
        """A URL as given; a local path resolved against the spec's folder."""
        repo = self.spec.system.repository
        if repo == EXAMPLE_REPOSITORY or "://" in repo or repo.startswith("git@"):
            return repo
        return str(self.resolve(repo))


def parse_duration(text: str) -> float:
    amount, unit = DURATION.match(text).groups()  # type: ignore[union-attr]
    return int(amount) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def load_spec(path: str | Path) -> LoadedSpec:
    """Load and check a staging spec; every problem (file, line, field) is raised at once."""
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldInvalid([Problem(str(path), None, "", f"cannot read staging spec: {exc}")]) from None
    located = parse_text(text, str(path))
    if not isinstance(located.data, dict):
        raise WorldInvalid([Problem(str(path), 1, "", "a staging spec must be a mapping of fields")])
    try:
        spec = Spec.model_validate(located.data)
    except pydantic.ValidationError as exc:
        raise WorldInvalid(shape_problems(located, exc, Spec)) from None
    problems = _placeholder_problems(spec, located, str(path))
    loaded = LoadedSpec(spec=spec, path=path, digest=hashlib.sha256(text.encode()).hexdigest()[:16])
    if not loaded.world_file.exists():
        problems.append(
            Problem(
                str(path),
                located.where(("world",))[1],
                "world",
                f"world file {loaded.world_file} does not exist",
            )
        )
    if problems:
        raise WorldInvalid(problems)
    check_world_file(loaded)
    return loaded


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


def _placeholder_problems(spec: Spec, located: object, source: str) -> list[Problem]:
    found = []
    groups = [
        ("system", "environment", spec.system.environment, PLACEHOLDERS),
        ("system", "triggers", spec.system.triggers, TRIGGER_PLACEHOLDERS),
    ]
    for section, field, values, allowed in groups:
        for key, value in values.items():
            for name in re.findall(r"\{(\w+)\}", value):
                if name not in allowed:
                    line = located.where((section, field, key))[1]  # type: ignore[attr-defined]
                    found.append(
                        Problem(
                            source,
                            line,
                            f"{section}.{field}.{key}",
                            f"unknown placeholder {{{name}}}; known: {', '.join(sorted(allowed))}",
                        )
                    )
    for i, command in enumerate(spec.system.install):
        for name in re.findall(r"\{(\w+)\}", command):
            if name not in PLACEHOLDERS:
                line = located.where(("system", "install", i))[1]  # type: ignore[attr-defined]
                found.append(Problem(source, line, f"system.install[{i}]", f"unknown placeholder {{{name}}}"))
    return found
