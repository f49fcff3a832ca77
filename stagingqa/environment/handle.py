"""The environment handle: one staged system's folder and recorded state, passed to every command that
works in it (verify, reproduce, capture, bisect, the master's steps) instead of a name to look up again."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from stagingqa.control import ControlClient
from stagingqa.environment.drift import changed_fields
from stagingqa.environment.state import EnvironmentState, env_dir, read_state, write_state
from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec


@dataclass(frozen=True)
class EnvironmentInfo:
    """What `up`, `status` and `list` report about one environment."""

    name: str
    status: str
    revision: str
    ref: str
    path: str
    world: str
    urls: dict[str, str]
    environment: dict[str, str]
    steps: dict[str, float]
    created: float
    last_used: float
    spec_digest: str = ""
    spec_changed: bool = False  # the spec was edited since: recreate the environment to follow it
    components: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> repository, ref, revision
    notes: list[str] = field(default_factory=list)


@dataclass
class Environment:
    """A staging environment: where it lives, what it recorded, and a client of its mock host."""

    spec: LoadedSpec
    folder: Path
    state: EnvironmentState

    @classmethod
    def open(cls, spec: LoadedSpec, name: str) -> Environment:
        """The environment `name` of this spec's state folder, whatever its status."""
        folder = env_dir(spec.state_dir, name)
        state = read_state(folder)
        if state is None:
            raise InputError(f"no environment named {name!r} (stagingqa list shows them)")
        return cls(spec, folder, state)

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def revision(self) -> str:
        return self.state.revision

    @property
    def ref(self) -> str:
        return self.state.ref

    @property
    def world(self) -> str:
        return self.state.world

    @property
    def mock_base(self) -> str:
        return self.state.mock_base

    @property
    def urls(self) -> dict[str, str]:
        return dict(self.state.urls)

    @property
    def venv(self) -> Path:
        return self.folder / "venv"

    @property
    def home(self) -> Path:
        return self.folder / "home"

    @property
    def src(self) -> Path:
        return self.folder / "src"

    @property
    def ready(self) -> bool:
        return self.state.status == "ready"

    def control(self, timeout: float = 60) -> ControlClient:
        """A client of the mock host this environment's worlds live on."""
        return ControlClient(self.state.mock_base, self.spec.control_token, timeout=timeout)

    def save(self) -> None:
        write_state(self.folder, self.state)

    def touch(self) -> None:
        """Record that the environment was used now (for gc's time to live)."""
        self.state.last_used = time.time()
        self.save()

    def drift(self) -> list[str]:
        """The spec's fields that changed since this environment was made and that it was built from."""
        return changed_fields(self.state, self.spec)

    def info(self) -> EnvironmentInfo:
        state = self.state
        return EnvironmentInfo(
            state.name,
            state.status,
            state.revision,
            state.ref,
            str(self.folder),
            state.world,
            dict(state.urls),
            dict(state.environment),
            dict(state.steps),
            state.created,
            state.last_used,
            state.spec_digest,
            state.spec_digest != self.spec.digest,
            {name: dict(checked) for name, checked in state.components.items()},
            list(state.notes),
        )

    @property
    def revisions(self) -> dict[str, str]:
        """Each component's revision as it can be checked out again: the commit, or HEADSHA+BASESHA for a
        merge result (the primary's alone for an environment made before components)."""
        components = self.state.components.items()
        found = {name: checked.get("pin", checked["revision"]) for name, checked in components}
        return found or {self.spec.primary.name: self.state.revision}
