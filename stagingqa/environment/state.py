"""What stagingqa remembers about each environment, one JSON file per environment, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class EnvironmentState:
    """An environment as recorded on disk (env.json)."""

    name: str
    spec_path: str
    spec_digest: str
    repository: str
    ref: str
    revision: str = ""
    status: str = "creating"  # creating, ready, failed
    created: float = field(default_factory=time.time)
    last_used: float = field(default_factory=time.time)
    owner_pid: int = field(default_factory=os.getpid)
    world: str = ""
    mock_base: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    process_groups: list[int] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)
    built_from: dict[str, Any] = field(default_factory=dict)  # the spec fields it was made from (drift)
    components: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> repository, ref, revision
    notes: list[str] = field(default_factory=list)  # what a user should know (an interpreter mismatch)
    deployment: dict[str, Any] = field(default_factory=dict)  # a deploy's branch, ttl, revisions, verdict

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def envs_dir(state_dir: Path) -> Path:
    return state_dir / "envs"


def env_dir(state_dir: Path, name: str) -> Path:
    return envs_dir(state_dir) / name


def write_state(folder: Path, state: EnvironmentState) -> None:
    """Replace env.json atomically: a reader (or a crash) never sees half of it."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".env-")
    with os.fdopen(fd, "w") as handle:
        json.dump(state.to_dict(), handle, indent=1, sort_keys=True)
    os.replace(tmp, folder / "env.json")


def read_state(folder: Path) -> EnvironmentState | None:
    """The recorded state, or None when there is none (yet) or it cannot be read."""
    try:
        data = json.loads((folder / "env.json").read_text())
    except (OSError, ValueError):
        return None
    known = set(EnvironmentState.__dataclass_fields__)
    return EnvironmentState(**{k: v for k, v in data.items() if k in known})


def all_states(state_dir: Path) -> list[tuple[Path, EnvironmentState | None]]:
    folder = envs_dir(state_dir)
    if not folder.exists():
        return []
    return [(path, read_state(path)) for path in sorted(folder.iterdir()) if path.is_dir()]
