"""Placeholders: the values `{koji}`, `{home}`, `{python}`... take in the spec's commands and settings."""

from __future__ import annotations

import re
from pathlib import Path

from stagingqa.environment.checkouts import checkout_dir
from stagingqa.errors import InputError
from stagingqa.spec import FileTemplate, LoadedSpec

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


def write_files(spec: LoadedSpec, values: dict[str, str], home: Path) -> list[Path]:
    """Render every file of `system.files` into `home` with these placeholder values: a use case's own
    home, or the environment's (for `stagingqa shell` and the UI's triggers)."""
    written = []
    inside = home.resolve()
    for key, template in spec.spec.system.files.items():
        target = home / key.removeprefix("{home}/")
        text = spec.resolve(template.template).read_text() if isinstance(template, FileTemplate) else template
        # a symlink left in the home (by the system, or by hand in `stagingqa shell`) must not carry a
        # rendered file outside it
        if not target.resolve().is_relative_to(inside):
            raise InputError(f"refusing to write {key}: {target} leads outside {home} (a symlink)")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(text, values))
        written.append(target)
    return written
