"""Placeholders: the values `{koji}`, `{home}`, `{python}`... take in the spec's commands and settings."""

from __future__ import annotations

import re
from pathlib import Path

from stagingqa.environment.checkouts import checkout_dir
from stagingqa.spec import LoadedSpec

PLACEHOLDER = re.compile(r"\{(\w+(?::[\w.-]+)?)\}")


def render(template: str, values: dict[str, str]) -> str:
    """`template` with every known {name} (and {src:NAME}) filled in; unknown ones stay as they are."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def placeholders(
    spec: LoadedSpec, folder: Path, urls: dict[str, str], base: str, world: str
) -> dict[str, str]:
    """The values of an environment's placeholders, pointed at `world` (whose service URLs are `urls`)."""
    return {
        **urls,
        "mocks": base,
        "world": world,
        "env": folder.name,
        "home": str(folder / "home"),
        "src": str(folder / "src"),
        **{f"src:{c.name}": str(checkout_dir(folder, spec, c)) for c in spec.components},
        "venv": str(folder / "venv"),
        "python": str(folder / "venv" / "bin" / "python"),
        "state": str(spec.state_dir),
        "spec_dir": str(spec.folder),
    }


def shell_quote(value: str) -> str:
    """`value` quoted for a POSIX shell."""
    return "'" + value.replace("'", "'\\''") + "'"
