"""A use case's home: a folder of its own that is HOME, TMPDIR and the XDG folders of its steps, with
the spec's `system.files` rendered into it, so that use cases running side by side share no settings."""

from __future__ import annotations

from pathlib import Path

from stagingqa.environment.placeholders import render
from stagingqa.spec import FileTemplate, LoadedSpec

XDG = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_CACHE_HOME": ".cache",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
}


def home_environ(home: Path) -> dict[str, str]:
    """HOME, TMPDIR and the XDG folders, all inside `home` (made here)."""
    folders = {"HOME": home, "TMPDIR": home / "tmp", **{k: home / v for k, v in XDG.items()}}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {key: str(folder) for key, folder in folders.items()}


def write_files(spec: LoadedSpec, values: dict[str, str], home: Path) -> list[Path]:
    """Render every file of `system.files` into `home` with the use case's placeholder values."""
    written = []
    for key, template in spec.spec.system.files.items():
        target = home / key.removeprefix("{home}/")
        text = spec.resolve(template.template).read_text() if isinstance(template, FileTemplate) else template
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(text, values))
        written.append(target)
    return written
