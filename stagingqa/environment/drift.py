"""Drift: what an environment was built from, and which of it the staging spec has changed since (tox's
`Recreate`: an environment that no longer follows its spec is refused or recreated, never used as is)."""

from __future__ import annotations

import hashlib
from typing import Any

from stagingqa.environment.state import EnvironmentState
from stagingqa.spec import LoadedSpec

# the spec fields an environment is built from; the rest (ttl, triggers, use cases...) is read afresh
BUILT_FROM = (
    "system.repository",
    "system.components",
    "system.python",
    "system.site_packages",
    "system.install",
    "system.install_timeout",
    "system.check",
    "system.environment",
    "system.constraints",
    "world",
    "mocks.host",
    "mocks.db",
    "mocks.url",  # not mocks.token: a secret is never written into an environment's state
)
WORLD_CONTENT = "the world file's content"


def built_from(spec: LoadedSpec) -> dict[str, Any]:
    """The values of the fields an environment is built from, as recorded in its state."""
    dumped = spec.spec.model_dump(mode="json")
    values: dict[str, Any] = {}
    for dotted in BUILT_FROM:
        value: Any = dumped
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        values[dotted] = value
    values[WORLD_CONTENT] = hashlib.sha256(spec.world_file.read_bytes()).hexdigest()[:16]
    return values


def changed_fields(state: EnvironmentState, spec: LoadedSpec) -> list[str]:
    """The recorded fields whose value the spec now changes (all of it for a state from before records)."""
    if not state.built_from:
        return ["the staging spec"] if state.spec_digest != spec.digest else []
    now = built_from(spec)
    # a field stagingqa learned to record after the environment was made is not held against it
    return [key for key, value in now.items() if key in state.built_from and state.built_from[key] != value]


def refusal(name: str, changed: list[str], command: str) -> str:
    """The message that refuses a drifted environment, naming what changed and the way out."""
    return (
        f"environment {name!r} no longer follows the staging spec: {', '.join(changed)} changed since it "
        f"was made; `{command} --recreate` makes it again from the spec, `stagingqa down {name}` removes it"
    )
